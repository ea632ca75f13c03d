/** `hybridnet report <topology> --out <dir>` */
import { join } from 'node:path';
import { hasErrors } from '@hybridnet/model';
import { generateContext, InputError, targetChecks } from '../pipeline.ts';
import { writeFileAtomic } from '../writer.ts';
import { EXIT, loadDocs, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

export const registerReport: Register = (ctx) => {
  const { io } = ctx;
  ctx.program
    .command('report')
    .description('Write one self-contained HTML page: the diagram, the address plan, the findings with their fixes and the predicted routes.')
    .argument(...TOPOLOGY_ARGUMENT)
    .requiredOption('--out <dir>', 'output folder (report.html goes there), or - for standard output')
    .action(async (file: string, options: { out: string }) => {
      const checked = await ctx.check(file);
      const { loaded } = checked;
      // A report explains problems too: only a topology that does not load stops it.
      if (!loaded.topology || !loaded.index) {
        ctx.printDiagnostics(checked.diagnostics, 'text', file);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      if (options.out === '') throw new InputError('--out needs a folder');
      // Validate first: the findings go into the page, and on the terminal too (standard error when the page takes standard output).
      const toStdout = options.out === '-';
      ctx.printDiagnostics(checked.diagnostics, 'text', file, toStdout);
      const context = generateContext(loaded.topology, loaded.index, [...checked.diagnostics, ...(await targetChecks(checked, ctx.targets))]);
      const { layoutSvg, report, topologyGraph } = await loadDocs();
      const html = report(loaded.topology, await layoutSvg(topologyGraph(loaded.topology, loaded.index, context.intents ?? [])), context.routes ?? [], context.findings ?? [], context.intents ?? []);
      ctx.exitCode = hasErrors(checked.diagnostics) ? EXIT.diagnostics : EXIT.ok;
      if (toStdout) return void io.out(html);
      const target = join(options.out, 'report.html');
      await writeFileAtomic(target, html).catch((error: Error) => {
        throw new InputError(`cannot write ${target}: ${error.message}`);
      });
      io.out(`wrote ${target}\n`);
    });
};
