/** `hybridnet generate <topology> --out <dir> [--target bicep,rras,...] [--check] [--force]` */
import { join, relative, sep } from 'node:path';
import { Option } from 'commander';
import { hasErrors, type Diagnostic } from '@hybridnet/model';
import { checkBicep } from '../check.ts';
import { InputError, runGenerators } from '../pipeline.ts';
import { findTargets } from '../targets.ts';
import { OwnershipError, stageArtefacts, type Staging, type TargetOutput, type WriteStep } from '../writer.ts';
import { EXIT, jsonReport, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

/**
 * Test hook: HYBRIDNET_TEST_KILL_AT=<step> kills the process with SIGKILL at that step of the
 * write (for example `old-moved:bicep`), to prove a crash at any step leaves a whole output.
 */
function writeStopHook(environment: Readonly<Record<string, string | undefined>>): ((step: WriteStep) => void) | undefined {
  const at = environment.HYBRIDNET_TEST_KILL_AT;
  return at ? (step) => void (step === at && process.kill(process.pid, 'SIGKILL')) : undefined;
}

export const registerGenerate: Register = (ctx) => {
  const { io, targets } = ctx;
  ctx.program
    .command('generate')
    .description('Validate a topology, then write the artefacts of each target to <out>/<target>/ with a manifest.json. Nothing is written when there is an error.')
    .argument(...TOPOLOGY_ARGUMENT)
    .requiredOption('--out <dir>', 'output folder')
    .option('--target <targets>', `comma-separated targets: ${targets.map((t) => t.target).join(', ')}`, targets.map((t) => t.target).join(','))
    .addOption(new Option('--format <format>', 'diagnostics format').choices(['text', 'json']).default('text'))
    .option('--check', 'also build and lint the generated Bicep with the Bicep CLI (bicep on PATH, or HYBRIDNET_BICEP); an error finding stops the write')
    .option('--force', 'replace target folders in <out> even when hybridnet did not write them (no hybridnet manifest.json)')
    .addHelpText('after', `\nTargets:\n${targets.map((t) => `  ${t.target.padEnd(16)}${t.description}`).join('\n')}\n`)
    .action(async (file: string, options: { out: string; target: string; format: 'text' | 'json'; check?: boolean; force?: boolean }) => {
      if (options.out === '') throw new InputError('--out needs a folder');
      const { found, unknown } = findTargets(targets, options.target.split(',').map((t) => t.trim()).filter(Boolean));
      if (unknown.length > 0 || found.length === 0) {
        throw new InputError(`unknown target ${unknown.map((u) => `"${u}"`).join(', ') || '(none given)'}; known: ${targets.map((t) => t.target).join(', ')}`);
      }
      // The diagram's layout engine loads in its thread while the topology is read and validated.
      for (const entry of found) await entry.prepare?.();
      const checked = await ctx.check(file);
      const loaded = checked.loaded;
      const cannotWrite = (error: unknown) => new InputError(`cannot write ${options.out}: ${(error as Error).message}`);
      // Each target is staged (encoded and written into a hidden folder) as soon as it is
      // generated; nothing reaches <out> unless everything went well (writer.ts).
      let staging: Staging | undefined;
      if (checked.topology && loaded.topology) {
        staging = await stageArtefacts(options.out, loaded.topology.name, { force: options.force ?? false, step: writeStopHook(ctx.deployment.environment), knownTargets: new Set(targets.map((t) => t.target)) }).catch((error: unknown) => {
          throw cannotWrite(error);
        });
        for (const entry of staging.ignored) io.err(`hybridnet: warning: left ${entry} alone: it is named like hybridnet's staging folder, but this user's hybridnet did not make it (owner, mode or journal); remove it if it is not yours\n`);
      }
      let written: string[] | undefined;
      let outputs: readonly TargetOutput[];
      let report: readonly Diagnostic[] = [];
      try {
        const stage = (output: TargetOutput) => {
          try {
            staging?.add(output);
          } catch (error) {
            throw cannotWrite(error);
          }
        };
        // The runbook names the topology file as seen from the output folder, where its steps run.
        const generated = await runGenerators(checked, found, file === '-' ? undefined : relative(options.out, file).split(sep).join('/'), stage);
        outputs = generated.outputs;
        const diagnostics = [...generated.diagnostics];
        const bicepOutput = outputs.find((o) => o.target === 'bicep');
        if (options.check && bicepOutput && loaded.topology && !hasErrors(diagnostics)) {
          diagnostics.push(...(await checkBicep(bicepOutput, loaded.topology.name, options.out)));
        }
        if (options.format === 'text') ctx.printDiagnostics(diagnostics, 'text', file);
        report = diagnostics;
        if (hasErrors(diagnostics) || !staging) {
          if (options.format === 'text') io.err(`${file}: nothing written to ${options.out}\n`);
          else io.out(`${JSON.stringify({ ...jsonReport(diagnostics, file), written: [] }, null, 2)}\n`);
          ctx.exitCode = EXIT.diagnostics;
          return;
        }
        try {
          written = await staging.commit();
        } catch (error) {
          if (error instanceof OwnershipError) throw new InputError(error.message);
          throw cannotWrite(error);
        }
      } finally {
        if (!written) await staging?.abort();
      }
      const folders = outputs.map((output) => ({ output, dir: written!.find((w) => w === join(options.out, output.target)) }));
      if (options.format === 'text') {
        for (const { output, dir } of folders) io.out(dir ? `wrote ${dir} (${output.files.length} files + manifest.json)\n` : `${output.target}: nothing to generate for this topology (no folder written)\n`);
      } else {
        // What was written, folder by folder, so a script need not list the output folder.
        const writtenJson = folders.filter((f) => f.dir).map(({ output, dir }) => ({ target: output.target, folder: dir!, files: [...output.files.map((f) => f.path), 'manifest.json'] }));
        io.out(`${JSON.stringify({ ...jsonReport(report, file), written: writtenJson }, null, 2)}\n`);
      }
    });
};
