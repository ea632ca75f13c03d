/** `hybridnet diff <old> <new> [--format text|json]` */
import { diffText, diffTopologies } from '../diff.ts';
import { InputError } from '../pipeline.ts';
import { terminalText } from '../present.ts';
import { blockingErrors, EXIT, formatOption, type Register } from './context.ts';

export const registerDiff: Register = (ctx) => {
  const { io } = ctx;
  ctx.program
    .command('diff')
    .description('What a change to a topology does: the routes each node learns differently, the intents whose verdict changes, the paths that change, and the Azure resources that change. Exit 1 when behaviour differs.')
    .argument('<old>', 'the topology before (- reads standard input: git show main:topology.yaml | hybridnet diff - topology.yaml)')
    .argument('<new>', 'the topology after')
    .addOption(formatOption())
    .action(async (oldFile: string, newFile: string, options: { format: 'text' | 'json' }) => {
      if (oldFile === '-' && newFile === '-') throw new InputError('only one side of diff can be standard input');
      const sides = [];
      for (const file of [oldFile, newFile]) {
        const checked = await ctx.check(file);
        const { topology, index } = checked.loaded;
        // Failing intents and routing mistakes are what a diff shows; only earlier errors stop it.
        if (!topology || !index || blockingErrors(checked.diagnostics).length > 0) {
          ctx.printDiagnostics(checked.diagnostics, options.format, file);
          ctx.exitCode = EXIT.diagnostics;
          return;
        }
        sides.push({ topology, index });
      }
      const diff = diffTopologies(sides[0]!, sides[1]!);
      io.out(options.format === 'json' ? `${JSON.stringify({ old: oldFile, new: newFile, ...diff }, null, 2)}\n` : terminalText(diffText(diff)));
      ctx.exitCode = diff.same ? EXIT.ok : EXIT.diagnostics;
    });
};
