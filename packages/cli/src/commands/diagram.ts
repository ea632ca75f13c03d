/** `hybridnet diagram <topology> [--format svg|mermaid] [--out <file>]` */
import { Option } from 'commander';
import { contextIntents } from '@hybridnet/validate';
import { InputError } from '../pipeline.ts';
import { writeFileAtomic } from '../writer.ts';
import { EXIT, loadDocs, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

export const registerDiagram: Register = (ctx) => {
  const { io } = ctx;
  ctx.program
    .command('diagram')
    .description('Draw the topology: an SVG laid out by ELK, or Mermaid text that code hosts render.')
    .argument(...TOPOLOGY_ARGUMENT)
    .addOption(new Option('--format <format>', 'svg or mermaid').choices(['svg', 'mermaid']).default('svg'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (file: string, options: { format: 'svg' | 'mermaid'; out?: string }) => {
      const checked = await ctx.check(file);
      if (!checked.topology || !checked.loaded.index) {
        ctx.printDiagnostics(checked.diagnostics, 'text', file);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      const { layoutSvg, mermaid, topologyGraph } = await loadDocs();
      // The SVG draws each intent's path (chosen from its legend), as generate's diagram.svg does.
      const intents = options.format === 'svg' ? contextIntents(checked.topology, checked.loaded.index) : [];
      const graph = topologyGraph(checked.topology, checked.loaded.index, intents);
      const text = options.format === 'svg' ? await layoutSvg(graph) : mermaid(graph);
      if (options.out === undefined) return void io.out(text);
      if (options.out === '') throw new InputError('--out needs a file name');
      await writeFileAtomic(options.out, text).catch((error: Error) => {
        throw new InputError(`cannot write ${options.out}: ${error.message}`);
      });
      io.out(`wrote ${options.out}\n`);
    });
};
