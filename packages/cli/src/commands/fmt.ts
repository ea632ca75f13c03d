/** `hybridnet fmt <topology> [--check]` */
import { formatTopology } from '@hybridnet/model';
import { InputError, loadTopologyFile } from '../pipeline.ts';
import { rewriteFile } from '../writer.ts';
import { EXIT, type Register } from './context.ts';

export const registerFmt: Register = (ctx) => {
  const { io } = ctx;
  ctx.program
    .command('fmt')
    .description('Rewrite a YAML topology in canonical order and style (keys in schema order, two-space indent), keeping its comments; --check only says whether it would change.')
    .argument('<topology>', 'topology file (YAML)')
    .option('--check', 'change nothing; exit 1 when the file is not in canonical form (for CI)')
    .action(async (file: string, options: { check?: boolean }) => {
      if (file.endsWith('.json')) throw new InputError(`fmt rewrites YAML topologies; ${file} is JSON`);
      if (file === '-') throw new InputError('fmt rewrites a file in place; give its name');
      // Read as validate reads it (size limit, encoding, syntax, duplicate keys, YAML bombs).
      const loaded = await loadTopologyFile(file);
      if (loaded.text !== undefined) ctx.sources.set(loaded.file, loaded.text);
      const refusals = loaded.diagnostics.filter((d) => d.code.startsWith('hybridnet/load/'));
      if (refusals.length > 0 || loaded.text === undefined) {
        ctx.printDiagnostics(refusals.length > 0 ? refusals : loaded.diagnostics, 'text', file);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      const text = loaded.text;
      const result = formatTopology(text);
      if (!result.ok) {
        if (result.reason === 'not-topology') throw new InputError(`${file}: ${result.message}`);
        const before = text.slice(0, result.offset).split('\n');
        const code = result.reason === 'changes-meaning' ? 'hybridnet/cli/fmt-changes-meaning' : 'hybridnet/load/yaml-syntax';
        ctx.printDiagnostics([{ code, severity: 'error', message: result.message, path: [], file: loaded.file, line: before.length, column: before.at(-1)!.length + 1 }], 'text', file);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      if (result.text === text) return void io.out(`${file}: already formatted\n`);
      if (options.check) {
        io.out(`${file}: not formatted (run hybridnet fmt ${file})\n`);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      await rewriteFile(file, result.text).catch((error: NodeJS.ErrnoException) => {
        throw new InputError(`cannot write ${file}: ${error.code ? `${error.code} ` : ''}${error.message}`);
      });
      io.out(`formatted ${file}\n`);
    });
};
