/** `hybridnet validate <topology...> [--format text|json] [--quiet] [--watch]` */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { dedupeDiagnostics, hasErrors, sortDiagnostics, type Diagnostic } from '@hybridnet/model';
import { InputError, targetChecks } from '../pipeline.ts';
import { EXIT, formatOption, jsonReport, type Io, type Register } from './context.ts';

export const registerValidate: Register = (ctx) => {
  const { io } = ctx;
  ctx.program
    .command('validate')
    .description('Check topology files and print every problem with its code, file:line:column and the source line.')
    .argument('<topology...>', 'topology files (YAML or JSON); - reads standard input')
    .addOption(formatOption())
    .option('--quiet', 'errors only: no warnings, no "ok" line')
    .option('--watch', 'validate again whenever a file is saved, until Ctrl-C')
    .addHelpText('after', '\nRun hybridnet explain <code> for what a code means and its entry in the rule catalogue.\n')
    .action(async (files: string[], options: { format: 'text' | 'json'; quiet?: boolean; watch?: boolean }) => {
      if (options.watch && files.includes('-')) throw new InputError('--watch reads files, not standard input');
      if (files.filter((f) => f === '-').length > 1) throw new InputError('standard input (-) can be read once');
      const validate = async (file: string) => {
        const checked = await ctx.check(file);
        // What any target would refuse too (each generator's cheap check), so validate never says
        // ok to a topology that generate then refuses.
        const all = checked.topology ? sortDiagnostics(dedupeDiagnostics([...checked.diagnostics, ...(await targetChecks(checked, ctx.targets))])) : checked.diagnostics;
        return { file: checked.loaded.file, diagnostics: options.quiet ? all.filter((d) => d.severity === 'error') : all };
      };
      const validateAll = async (): Promise<number> => {
        const results: { file: string; diagnostics: readonly Diagnostic[]; unreadable?: string }[] = [];
        // A file that cannot be read is said at once; the others are still validated (exit 2 at the end).
        for (const file of files) {
          try {
            results.push(await validate(file));
          } catch (error) {
            if (!(error instanceof InputError) || (files.length === 1 && options.format !== 'json')) throw error;
            if (options.format !== 'json') io.err(`hybridnet: ${error.message}\n`);
            results.push({ file, diagnostics: [], unreadable: error.message });
          }
        }
        if (options.format === 'json') {
          // One file: its report. Several: one report with each file's (an unreadable one says why), and the totals.
          const reports = results.map((r) => (r.unreadable === undefined ? jsonReport(r.diagnostics, r.file) : { format: 1, file: r.file, ok: false, errors: 0, warnings: 0, unreadable: r.unreadable, diagnostics: [] }));
          const total = (key: 'errors' | 'warnings') => reports.reduce((n, r) => n + r[key], 0);
          io.out(`${JSON.stringify(reports.length === 1 ? reports[0] : { format: 1, ok: reports.every((r) => r.ok), errors: total('errors'), warnings: total('warnings'), unreadable: results.filter((r) => r.unreadable !== undefined).length, files: reports }, null, 2)}\n`);
        } else {
          for (const r of results) {
            if (r.unreadable !== undefined) continue;
            ctx.printDiagnostics(r.diagnostics, 'text', r.file);
            if (!options.quiet && !hasErrors(r.diagnostics)) io.out(`${r.file}: ok${summary(r.diagnostics)}\n`);
          }
        }
        return results.some((r) => r.unreadable !== undefined) ? EXIT.usage : results.some((r) => hasErrors(r.diagnostics)) ? EXIT.diagnostics : EXIT.ok;
      };
      ctx.exitCode = await validateAll();
      if (options.watch) {
        ctx.exitCode = await watchFiles(
          files,
          io,
          ctx.rawIo.stop,
          async () => {
            io.out(`\n[${new Date().toTimeString().slice(0, 8)}] validating again\n`);
            ctx.sources.clear();
            return validateAll().catch((error: unknown) => {
              if (!(error instanceof InputError)) throw error;
              io.err(`hybridnet: ${error.message}\n`);
              return EXIT.usage;
            });
          },
          ctx.exitCode,
        );
      }
    });
};

function summary(diagnostics: readonly Diagnostic[]): string {
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return warnings > 0 ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : '';
}

/**
 * `validate --watch`: runs `again` when one of `files` is saved (the folder is watched, so an
 * editor's save by rename counts), debounced; ends on `stop`, Ctrl-C or SIGTERM with the last exit code.
 */
async function watchFiles(files: readonly string[], io: Io, stop: AbortSignal | undefined, again: () => Promise<number>, first: number): Promise<number> {
  let last = first;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const names = new Set(files.map((f) => resolve(f)));
  const watchers: FSWatcher[] = [];
  const ended = new Promise<void>((done) => {
    const end = () => done();
    stop?.addEventListener('abort', end, { once: true });
    if (!stop) {
      process.once('SIGINT', end);
      process.once('SIGTERM', end);
    }
  });
  for (const folder of new Set([...names].map((n) => dirname(n)))) {
    watchers.push(
      watch(folder, (_, name) => {
        if (name === null || !names.has(join(folder, name.toString()))) return;
        clearTimeout(timer);
        timer = setTimeout(() => void (running = running.then(async () => void (last = await again()))), 100);
      }),
    );
  }
  io.out(`watching ${files.map((f) => basename(f)).join(', ')} (Ctrl-C to stop)\n`);
  await ended;
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
  return last;
}
