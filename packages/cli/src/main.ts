/**
 * The `hybridnet` command line.
 *
 *   hybridnet validate <topology...> [--format text|json] [--quiet] [--watch]
 *   hybridnet routes <topology> [--format text|json]
 *   hybridnet generate <topology> --out <dir> [--target bicep,rras,...]
 *   hybridnet diagram <topology> [--format svg|mermaid] [--out <file>]
 *   hybridnet report <topology> --out <dir>
 *   hybridnet deploy azure <topology> --subscription <id> [--resource-group <rg>] [--what-if]
 *   hybridnet schema [--out <file>]
 *   hybridnet explain [code]
 *
 * Global: --rule <code=level> (repeatable), --no-color. A topology `-` is standard input.
 * Exit codes: 0 ok, 1 the topology has errors, 2 usage or I/O problem, 3 Azure refused or unreachable.
 */
import { Command, CommanderError, Option } from 'commander';
// Imported statically: a dynamic import of this CommonJS package yields its exports under `default` in the bundle.
import { closest } from 'fastest-levenshtein';
import { dedupeDiagnostics, formatTopology, formatPath, hasErrors, sortDiagnostics, topologyJsonSchema, type Diagnostic } from '@hybridnet/model';
import type { TokenCredential } from '@azure/identity';
import { evaluateIntents, simulateRoutes, formatRoutes } from '@hybridnet/validate';
import { traceJson, traceText } from './trace.ts';
import type { DeployOptions } from './deploy.ts';
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { starterTopology, STARTERS, type Starter } from './init.ts';
import { VERSION } from './version.ts';
import { checkBicep } from './check.ts';
import { docsLink } from './codes.ts';
import { checkWithRules, generateContext, InputError, loadTopologyFile, runGenerators, targetChecks, type Checked, type StdinReader } from './pipeline.ts';
import { azureText, presentDiagnostic, terminalText, wantsColor } from './present.ts';
import { AzureError } from './azure.ts';
import { parseRuleOptions } from './rules.ts';
import { findTargets, TARGETS, type TargetEntry } from './targets.ts';
import { OwnershipError, rewriteFile, stageArtefacts, writeFileAtomic, type Staging, type TargetOutput, type WriteStep } from './writer.ts';

/**
 * Test hook: HYBRIDNET_TEST_KILL_AT=<step> kills the process with SIGKILL at that step of the
 * write (for example `old-moved:bicep`), to prove a crash at any step leaves a whole output.
 */
function writeStopHook(environment: Readonly<Record<string, string | undefined>>): ((step: WriteStep) => void) | undefined {
  const at = environment.HYBRIDNET_TEST_KILL_AT;
  return at ? (step) => void (step === at && process.kill(process.pid, 'SIGKILL')) : undefined;
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether standard output and error are terminals (colour only then). */
  readonly tty?: { readonly out: boolean; readonly err: boolean };
  /** Standard input, read for the topology `-`. */
  readonly stdin?: StdinReader;
  /** Ends `validate --watch` (for the process, Ctrl-C or SIGTERM does). */
  readonly stop?: AbortSignal;
}

/** Exit codes: 0 ok, 1 the topology has errors, 2 a usage error, 3 Azure refused or could not be reached (sign-in, permission, network). */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2, azure: 3 } as const;

/**
 * What went wrong talking to Azure, in words a user can act on, or undefined when the error is
 * not one of those (then it is a bug). Throttling (429) is retried with back-off by the SDK's
 * own pipeline before it gets here.
 */
export function azureProblem(error: unknown): string | undefined {
  const e = error as { name?: string; code?: string; statusCode?: number; message?: string; errors?: unknown[]; errorResponse?: { errorDescription?: string; error?: string } };
  if (!e || typeof e !== 'object') return undefined;
  const first = (text: string | undefined) => azureText((text ?? '').split('\n')[0]!.trim());
  // Sign-in refused (a wrong secret, an expired certificate) is not "not signed in": say what Entra ID said.
  const refused = [e, ...(e.name === 'AggregateAuthenticationError' && Array.isArray(e.errors) ? e.errors : [])].find((x) => (x as { name?: string })?.name === 'AuthenticationError') as typeof e | undefined;
  if (refused) return `Microsoft Entra ID refused the sign-in: ${first(refused.errorResponse?.errorDescription ?? refused.message)}; check the credentials (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or the certificate, AZURE_TENANT_ID) or run az login again`;
  if (e.name === 'AggregateAuthenticationError' || e.name === 'CredentialUnavailableError') {
    return 'not signed in to Azure: run `az login` (or `az login --use-device-code`), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal, or run where a managed identity is assigned';
  }
  if (error instanceof AzureError) return first(e.message);
  if (e.code === 'ENOTFOUND' || e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'ECONNRESET' || e.code === 'EAI_AGAIN' || e.code === 'REQUEST_SEND_ERROR') {
    return `cannot reach Azure Resource Manager (${e.code}): check the network, a proxy (HTTPS_PROXY) or a firewall in between${e.message ? `; ${first(e.message)}` : ''}`;
  }
  if (e.statusCode === 403 || e.code === 'AuthorizationFailed') {
    return `Azure refused the request (403${e.code ? ` ${e.code}` : ''}): the signed-in identity needs Contributor (or Owner) on the subscription or the resource groups to deploy${e.message ? `; Azure said: ${first(e.message)}` : ''}`;
  }
  if (e.statusCode === 429) return 'Azure kept throttling the requests (429) after retries with back-off; wait a few minutes and run again';
  if (e.code === 'PARSE_ERROR' || error instanceof SyntaxError) return `Azure answered with something that is not the JSON it documents (${first(e.message)}); nothing more was sent`;
  if (e.name === 'RestError') return `Azure answered ${e.statusCode ?? ''} ${e.code ?? ''}: ${first(e.message)}`.replace(/\s+/g, ' ');
  return undefined;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), tty: { out: process.stdout.isTTY === true, err: process.stderr.isTTY === true } };

/** The environment the command line reads (variables for secrets, colour, Azure's cloud and sign-in); injectable for tests. */
export interface DeploymentContext {
  readonly environment: Readonly<Record<string, string | undefined>>;
}

// The Azure SDK and the diagram's layout engine load only for the commands that use them.
const defaultDeployment: DeploymentContext = { environment: process.env };
const docs = () => import('@hybridnet/gen-docs');

/** Runs the command line; `targets` and `deployment` are injectable so tests can plug in their own. */
export async function run(argv: readonly string[], rawIo: Io = processIo, targets: readonly TargetEntry[] = TARGETS, deployment: DeploymentContext = defaultDeployment): Promise<number> {
  // Everything printed is safe for a terminal: control characters from a file name or a value
  // (ESC, BEL: screen clearing, fake output, window titles) are spelled out; line ends and tabs stay.
  const safe = terminalText;
  const io: Io = { out: (text) => rawIo.out(safe(text)), err: (text) => rawIo.err(safe(text)) };
  let exitCode: number = EXIT.ok;
  const program = new Command('hybridnet')
    .description('Validate a hybrid network topology and generate everything needed to build it.')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)')
    .option('--rule <code=level>', 'severity of a rule: error, warning, info or off (repeatable; wins over rules: in the topology; errors stay errors)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR does the same)');

  // What every command shares: the severity overrides, the sources for excerpts, colour per stream.
  const sources = new Map<string, string>();
  const globals = () => program.opts<{ rule: string[]; color: boolean }>();
  const colors = () => ({
    out: wantsColor(rawIo.tty?.out, deployment.environment, globals().color),
    err: wantsColor(rawIo.tty?.err, deployment.environment, globals().color),
  });
  /** Reads, loads, validates and applies the severity overrides. */
  const check = async (file: string): Promise<Checked> => {
    const loaded = await loadTopologyFile(file, rawIo.stdin);
    if (loaded.text !== undefined) sources.set(loaded.file, loaded.text);
    return checkWithRules(loaded, parseRuleOptions(globals().rule));
  };
  const printDiagnostics = (diagnostics: readonly Diagnostic[], format: 'text' | 'json', file: string): void => {
    if (format === 'json') return void io.out(`${JSON.stringify(jsonReport(diagnostics, file), null, 2)}\n`);
    const color = colors();
    // Already safe for a terminal (every part spelled out), so written as is: the colour codes are ours.
    // Written a run at a time (the diagnostics in a row for one stream, up to 64 KiB): thousands of
    // writes to a pipe, each waiting for the reader, took longer than finding the problems.
    let run: { write: (text: string) => void; parts: string[]; size: number } | undefined;
    const flush = () => {
      if (run && run.parts.length > 0) run.write(run.parts.join(''));
    };
    for (const d of diagnostics) {
      const write = d.severity === 'error' ? rawIo.err : rawIo.out;
      if (run?.write !== write || run.size > 65_536) {
        flush();
        run = { write, parts: [], size: 0 };
      }
      const text = presentDiagnostic(d, sources, d.severity === 'error' ? color.err : color.out);
      run.parts.push(text);
      run.size += text.length;
    }
    flush();
  };

  program
    .command('validate')
    .description('Check topology files and print every problem with its code, file:line:column and the source line.')
    .argument('<topology...>', 'topology files (YAML or JSON); - reads standard input')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--quiet', 'errors only: no warnings, no "ok" line')
    .option('--watch', 'validate again whenever a file is saved, until Ctrl-C')
    .addHelpText('after', '\nRun hybridnet explain <code> for what a code means and its entry in the rule catalogue.\n')
    .action(async (files: string[], options: { format: 'text' | 'json'; quiet?: boolean; watch?: boolean }) => {
      if (options.watch && files.includes('-')) throw new InputError('--watch reads files, not standard input');
      if (files.filter((f) => f === '-').length > 1) throw new InputError('standard input (-) can be read once');
      const validate = async (file: string) => {
        const checked = await check(file);
        // What any target would refuse too (each generator's cheap check), so validate never says
        // ok to a topology that generate then refuses.
        const all = checked.topology ? sortDiagnostics(dedupeDiagnostics([...checked.diagnostics, ...(await targetChecks(checked, targets))])) : checked.diagnostics;
        return { file: checked.loaded.file, diagnostics: options.quiet ? all.filter((d) => d.severity === 'error') : all };
      };
      const validateAll = async (): Promise<number> => {
        const results: { file: string; diagnostics: readonly Diagnostic[]; unreadable?: string }[] = [];
        // A file that cannot be read is said at once; the others are still validated (exit 2 at the end).
        for (const file of files) {
          try {
            results.push(await validate(file));
          } catch (error) {
            if (!(error instanceof InputError) || files.length === 1) throw error;
            io.err(`hybridnet: ${error.message}\n`);
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
            printDiagnostics(r.diagnostics, 'text', r.file);
            if (!options.quiet && !hasErrors(r.diagnostics)) io.out(`${r.file}: ok${summary(r.diagnostics)}\n`);
          }
        }
        return results.some((r) => r.unreadable !== undefined) ? EXIT.usage : results.some((r) => hasErrors(r.diagnostics)) ? EXIT.diagnostics : EXIT.ok;
      };
      exitCode = await validateAll();
      if (options.watch) exitCode = await watchFiles(files, io, rawIo.stop, async () => {
        io.out(`\n[${new Date().toTimeString().slice(0, 8)}] validating again\n`);
        sources.clear();
        return validateAll().catch((error: unknown) => {
          if (!(error instanceof InputError)) throw error;
          io.err(`hybridnet: ${error.message}\n`);
          return EXIT.usage;
        });
      }, exitCode);
    });

  program
    .command('routes')
    .description('Predict what each VPN gateway, ExpressRoute gateway, Route Server, site and subnet will learn (prefix, next hop, origin).')
    .argument('<topology>', 'topology file (YAML or JSON)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--trace <intent>', 'print the hops of one intent\'s flows, request and reply, instead of the routes')
    .action(async (file: string, options: { format: 'text' | 'json'; trace?: string }) => {
      const checked = await check(file);
      const { loaded } = checked;
      // Routing and intent findings are what this command explains; only earlier errors stop it.
      const explained = (d: Diagnostic) => d.code.startsWith('hybridnet/validate/routing/') || d.code.startsWith('hybridnet/validate/intent/');
      const blocking = checked.diagnostics.filter((d) => d.severity === 'error' && !explained(d));
      if (!loaded.topology || !loaded.index || blocking.length > 0) {
        printDiagnostics(checked.diagnostics, options.format, file);
        exitCode = EXIT.diagnostics;
        return;
      }
      if (options.trace !== undefined) {
        const results = evaluateIntents(loaded.topology, loaded.index);
        const result = results.find((r) => r.intent.name === options.trace);
        if (!result) {
          const names = results.map((r) => r.intent.name);
          throw new InputError(names.length === 0 ? `${file} declares no intents (intents: in the topology)` : `no intent is named "${options.trace}"; did you mean "${closest(options.trace, names)}"? (declared: ${names.join(', ')})`);
        }
        io.out(options.format === 'json' ? `${JSON.stringify(traceJson(result), null, 2)}\n` : terminalText(traceText(result)));
        exitCode = result.holds ? EXIT.ok : EXIT.diagnostics;
        return;
      }
      const simulation = simulateRoutes(loaded.topology, loaded.index);
      const findings = checked.diagnostics.filter(explained);
      if (options.format === 'json') {
        io.out(`${JSON.stringify({ file: loaded.file, routes: simulation.sets.map((s) => ({ kind: s.kind, name: s.name, routes: s.routes })), findings: findings.map((d) => jsonDiagnostic(d, loaded.file)) }, null, 2)}\n`);
      } else {
        io.out(formatRoutes(simulation));
        if (findings.length > 0) io.out('\n');
        printDiagnostics(findings, 'text', file);
      }
      exitCode = hasErrors(checked.diagnostics) ? EXIT.diagnostics : EXIT.ok;
    });

  program
    .command('generate')
    .description('Validate a topology, then write the artefacts of each target to <out>/<target>/ with a manifest.json. Nothing is written when there is an error.')
    .argument('<topology>', 'topology file (YAML or JSON)')
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
      const checked = await check(file);
      const loaded = checked.loaded;
      const cannotWrite = (error: unknown) => new InputError(`cannot write ${options.out}: ${(error as Error).message}`);
      // Each target is staged (encoded and written into a hidden folder) as soon as it is
      // generated; nothing reaches <out> unless everything went well (writer.ts).
      let staging: Staging | undefined;
      if (checked.topology && loaded.topology) {
        staging = await stageArtefacts(options.out, loaded.topology.name, { force: options.force ?? false, step: writeStopHook(deployment.environment), knownTargets: new Set(targets.map((t) => t.target)) }).catch((error: unknown) => {
          throw cannotWrite(error);
        });
        for (const entry of staging.ignored) io.err(`hybridnet: warning: left ${entry} alone: it is named like hybridnet's staging folder, but this user's hybridnet did not make it (owner, mode or journal); remove it if it is not yours\n`);
      }
      let written: string[] | undefined;
      let outputs: readonly TargetOutput[];
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
        printDiagnostics(diagnostics, options.format, file);
        if (hasErrors(diagnostics) || !staging) {
          if (options.format === 'text') io.err(`${file}: nothing written to ${options.out}\n`);
          exitCode = EXIT.diagnostics;
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
      if (options.format === 'text') {
        for (const output of outputs) {
          const dir = written.find((w) => w === join(options.out, output.target));
          io.out(dir ? `wrote ${dir} (${output.files.length} files + manifest.json)\n` : `${output.target}: nothing to generate for this topology (no folder written)\n`);
        }
      }
    });

  program
    .command('diagram')
    .description('Draw the topology: an SVG laid out by ELK, or Mermaid text that code hosts render.')
    .argument('<topology>', 'topology file (YAML or JSON)')
    .addOption(new Option('--format <format>', 'svg or mermaid').choices(['svg', 'mermaid']).default('svg'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (file: string, options: { format: 'svg' | 'mermaid'; out?: string }) => {
      const checked = await check(file);
      if (!checked.topology || !checked.loaded.index) {
        printDiagnostics(checked.diagnostics, 'text', file);
        exitCode = EXIT.diagnostics;
        return;
      }
      const { layoutSvg, mermaid, topologyGraph } = await docs();
      const graph = topologyGraph(checked.topology, checked.loaded.index);
      const text = options.format === 'svg' ? await layoutSvg(graph) : mermaid(graph);
      if (options.out === undefined) return void io.out(text);
      if (options.out === '') throw new InputError('--out needs a file name');
      await writeFileAtomic(options.out, text).catch((error: Error) => {
        throw new InputError(`cannot write ${options.out}: ${error.message}`);
      });
      io.out(`wrote ${options.out}\n`);
    });

  program
    .command('report')
    .description('Write one self-contained HTML page: the diagram, the address plan, the findings with their fixes and the predicted routes.')
    .argument('<topology>', 'topology file (YAML or JSON)')
    .requiredOption('--out <dir>', 'output folder (report.html goes there)')
    .action(async (file: string, options: { out: string }) => {
      const checked = await check(file);
      const { loaded } = checked;
      // A report explains problems too: only a topology that does not load stops it.
      if (!loaded.topology || !loaded.index) {
        printDiagnostics(checked.diagnostics, 'text', file);
        exitCode = EXIT.diagnostics;
        return;
      }
      if (options.out === '') throw new InputError('--out needs a folder');
      // Validate first: the findings go into the page, and on the terminal too.
      printDiagnostics(checked.diagnostics, 'text', file);
      const context = generateContext(loaded.topology, loaded.index, [...checked.diagnostics, ...(await targetChecks(checked, targets))]);
      const { layoutSvg, report, topologyGraph } = await docs();
      const html = report(loaded.topology, await layoutSvg(topologyGraph(loaded.topology, loaded.index)), context.routes ?? [], context.findings ?? [], context.intents ?? []);
      const target = join(options.out, 'report.html');
      await writeFileAtomic(target, html).catch((error: Error) => {
        throw new InputError(`cannot write ${target}: ${error.message}`);
      });
      io.out(`wrote ${target}\n`);
      exitCode = hasErrors(checked.diagnostics) ? EXIT.diagnostics : EXIT.ok;
    });

  /** Where and as whom the Azure commands work: the cloud, the subscription and the credential (azure.ts). */
  const azureSession = async (topology: NonNullable<Checked['topology']>, options: AzureFlags) => {
    const { azureCredential, resolveAzureTarget, resolveSubscription } = await import('./azure.ts');
    const target = await resolveAzureTarget(options, topology.azure.cloud, deployment.environment);
    const subscription = await resolveSubscription(options.subscription, deployment.environment);
    return { target, subscription, credential: await azureCredential(target) };
  };
  const withAzureFlags = (command: Command) =>
    command
      .option('--subscription <id>', 'Azure subscription id (default: AZURE_SUBSCRIPTION_ID, else the Azure CLI\'s default account)')
      .addOption(new Option('--cloud <name>', 'the Azure cloud (default: the topology\'s azure.cloud)').choices(['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']))
      .option('--arm-endpoint <url>', 'a custom Azure Resource Manager endpoint, such as Azure Stack Hub\'s (default: AZURE_RESOURCE_MANAGER_ENDPOINT, else the cloud\'s)');

  withAzureFlags(
    program
      .command('deploy')
      .description('Deploy one side of the topology.')
      .command('azure')
      .description('Deploy the Azure network (the generated ARM template) with the Azure SDK, showing each resource as Azure works; --what-if shows the changes without making them.')
      .argument('<topology>', 'topology file (YAML or JSON)'),
  )
    .option('--resource-group <name>', 'deploy everything into this one resource group (default: the topology\'s resource groups)')
    .option('--what-if', 'show what would change, change nothing', false)
    .option('--timeout <duration>', 'how long to wait for Azure before giving up, such as 90m or 2h', '3h')
    .option('--parameter <name=value>', 'a non-secret template parameter (repeatable); secrets come from their environment variables or Key Vault', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (file: string, options: AzureFlags & { resourceGroup?: string; whatIf: boolean; parameter: string[]; timeout: string }) => {
      const checked = await check(file);
      printDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error'), 'text', file);
      if (!checked.topology || !checked.loaded.index) {
        exitCode = EXIT.diagnostics;
        return;
      }
      const parameters: Record<string, string> = {};
      for (const pair of options.parameter) {
        const at = pair.indexOf('=');
        if (at < 1) throw new InputError(`--parameter takes name=value, not "${pair}"`);
        parameters[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const timeoutMs = duration(options.timeout, '--timeout');
      const session = await azureSession(checked.topology, options);
      const { deployAzure } = await import('./deploy.ts');
      exitCode = await deployAzure(checked.topology, checked.loaded.index, { ...session, ...(options.resourceGroup ? { resourceGroup: options.resourceGroup } : {}), whatIf: options.whatIf, parameters, timeoutMs, environment: deployment.environment, out: io.out, ...(colors().out ? { styledOut: rawIo.out } : {}) });
    });

  withAzureFlags(
    program
      .command('verify')
      .description('Check a deployment against the prediction.')
      .command('azure')
      .description('Read what Azure has (gateways\' learned routes, BGP sessions, connections, test VMs\' effective routes, Network Watcher\'s next hops on the intents\' paths) and compare it with what the simulation and the intents predict. Read-only.')
      .argument('<topology>', 'topology file (YAML or JSON)'),
  )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, options: AzureFlags & { format: 'text' | 'json' }) => {
      const checked = await check(file);
      printDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error'), 'text', file);
      if (!checked.topology || !checked.loaded.index) {
        exitCode = EXIT.diagnostics;
        return;
      }
      const session = await azureSession(checked.topology, options);
      const { verifyAzure, verifyTable } = await import('./verify-azure.ts');
      const findings = await verifyAzure(checked.topology, checked.loaded.index, { ...session, environment: deployment.environment });
      const differs = findings.filter((f) => !f.ok);
      io.out(options.format === 'json' ? `${JSON.stringify({ file: checked.loaded.file, subscription: session.subscription, matches: differs.length === 0, findings }, null, 2)}\n` : verifyTable(findings));
      exitCode = differs.length === 0 ? EXIT.ok : differs.every((f) => f.seen.startsWith('Azure answered')) ? EXIT.azure : EXIT.diagnostics;
    });

  const labCommand = program.command('lab').description('Bring the topology up on this machine with real strongSwan, FRR and nftables in network namespaces, and run its intents as packets (Linux, root or CAP_NET_ADMIN).');
  const labActions: [string, string, boolean][] = [
    ['up', 'Build the lab (idempotent); waits for tunnels and BGP sessions and says each one\'s state.', false],
    ['test', 'Run each intent as TCP connections; print the lab\'s verdict beside the simulation\'s, with tunnels and BGP sessions.', false],
    ['down', 'End every process the lab started and remove its namespaces and files.', false],
    ['fail', 'Take an element down: tunnel:<connection>/<n>, instance:<gateway>/<n>, connection:<name> or circuit:<connection>.', true],
    ['heal', 'Bring an element taken down by lab fail back up.', true],
  ];
  for (const [action, description, element] of labActions) {
    const sub = labCommand.command(action).description(description).argument('<topology>', 'topology file (YAML or JSON)');
    if (element) sub.argument('<element>', 'what to take down or bring back');
    if (action === 'test') sub.addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
    if (action === 'up') sub.option('--timeout <duration>', 'how long to wait for tunnels and BGP sessions', '60s');
    sub.action(async (file: string, ...rest: unknown[]) => {
      const opts = (element ? rest[1] : rest[0]) as { format?: 'text' | 'json'; timeout?: string };
      // The lab builds the topology as written: validation's findings (a failing intent, say) are what it shows in packets.
      const checked = await check(file);
      const { topology, index } = checked.loaded;
      if (!topology || !index) {
        printDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error'), 'text', file);
        exitCode = EXIT.diagnostics;
        return;
      }
      const errors = checked.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors > 0 && action === 'up') io.err(`note: validate reports ${errors} error${errors > 1 ? 's' : ''} (hybridnet validate ${file}); the lab builds the topology as written\n`);
      const { runLab } = await import('./lab.ts');
      exitCode = await runLab(action as 'up', topology, index, { format: opts.format ?? 'text', file, ...(element ? { element: rest[0] as string } : {}), timeoutMs: duration(opts.timeout ?? '60s', '--timeout'), environment: deployment.environment, out: io.out, err: io.err });
    });
  }

  program
    .command('fmt')
    .description('Rewrite a YAML topology in canonical order and style (keys in schema order, two-space indent), keeping its comments; --check only says whether it would change.')
    .argument('<topology>', 'topology file (YAML)')
    .option('--check', 'change nothing; exit 1 when the file is not in canonical form (for CI)')
    .action(async (file: string, options: { check?: boolean }) => {
      if (file.endsWith('.json')) throw new InputError(`fmt rewrites YAML topologies; ${file} is JSON`);
      if (file === '-') throw new InputError('fmt rewrites a file in place; give its name');
      // Read as validate reads it (size limit, encoding, syntax, duplicate keys, YAML bombs).
      const loaded = await loadTopologyFile(file);
      if (loaded.text !== undefined) sources.set(loaded.file, loaded.text);
      const refusals = loaded.diagnostics.filter((d) => d.code.startsWith('hybridnet/load/'));
      if (refusals.length > 0 || loaded.text === undefined) {
        printDiagnostics(refusals.length > 0 ? refusals : loaded.diagnostics, 'text', file);
        exitCode = EXIT.diagnostics;
        return;
      }
      const text = loaded.text;
      const result = formatTopology(text);
      if (!result.ok) {
        if (result.reason === 'not-topology') throw new InputError(`${file}: ${result.message}`);
        const before = text.slice(0, result.offset).split('\n');
        const code = result.reason === 'changes-meaning' ? 'hybridnet/cli/fmt-changes-meaning' : 'hybridnet/load/yaml-syntax';
        printDiagnostics([{ code, severity: 'error', message: result.message, path: [], file: loaded.file, line: before.length, column: before.at(-1)!.length + 1 }], 'text', file);
        exitCode = EXIT.diagnostics;
        return;
      }
      if (result.text === text) return void io.out(`${file}: already formatted\n`);
      if (options.check) {
        io.out(`${file}: not formatted (run hybridnet fmt ${file})\n`);
        exitCode = EXIT.diagnostics;
        return;
      }
      await rewriteFile(file, result.text).catch((error: NodeJS.ErrnoException) => {
        throw new InputError(`cannot write ${file}: ${error.code ? `${error.code} ` : ''}${error.message}`);
      });
      io.out(`formatted ${file}\n`);
    });

  program
    .command('init')
    .description('Write a commented starter topology that validates clean, and the JSON Schema beside it for editors.')
    .argument('[file]', 'topology file to write', 'topology.yaml')
    .addOption(new Option('--template <name>', 'which starter').choices([...STARTERS]).default('minimal'))
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, options: { template: Starter; force?: boolean }) => {
      if (file === '') throw new InputError('init needs a file name');
      if (!options.force && existsSync(file)) throw new InputError(`${file} exists; choose another name or pass --force to overwrite it`);
      const cannot = (path: string) => (error: NodeJS.ErrnoException) => {
        throw new InputError(`cannot write ${path}: ${error.code ? `${error.code} ` : ''}${error.message}`);
      };
      await writeFileAtomic(file, starterTopology(options.template)).catch(cannot(file));
      const schema = join(dirname(file), 'topology.schema.json');
      const writeSchema = !existsSync(schema);
      if (writeSchema) await writeFileAtomic(schema, `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`).catch(cannot(schema));
      io.out(`wrote ${file} (${options.template})${writeSchema ? ` and ${schema}` : ''}; next: hybridnet validate ${file}\n`);
    });

  program
    .command('explain')
    .description('Print what a diagnostic code means, its severity, an example and its entry in the rule catalogue; without a code, list every code.')
    .argument('[code]', 'a code such as hybridnet/validate/address/subnet-overlap')
    .action(async (code: string | undefined) => {
      const { CATALOGUE, explain } = await import('./catalogue.ts');
      if (code === undefined) return void io.out([...CATALOGUE.values()].map((e) => `${e.code}  ${e.summary}\n`).join(''));
      const entry = CATALOGUE.get(code) ?? CATALOGUE.get(`hybridnet/${code}`);
      if (!entry) {
        throw new InputError(`no diagnostic has the code "${code}"; did you mean "${closest(code, [...CATALOGUE.keys()])}"? (hybridnet explain lists every code)`);
      }
      io.out(explain(entry));
    });

  program
    .command('schema')
    .description('Print the JSON Schema of topology files (for editors), or write it to a file.')
    .option('--out <file>', 'write the schema to this file instead of standard output')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`;
      if (options.out === undefined) return void io.out(text);
      if (options.out === '') throw new InputError('--out needs a file name');
      await writeFileAtomic(options.out, text).catch((error: Error) => {
        throw new InputError(`cannot write ${options.out}: ${error.message}`);
      });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // `help <command>` is as much a request for help as `<command> --help`.
      return error.code === 'commander.helpDisplayed' || (error.code === 'commander.help' && argv.length > 0) || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof InputError) {
      io.err(`hybridnet: ${error.message}\n`);
      return EXIT.usage;
    }
    const azure = azureProblem(error);
    if (azure) {
      io.err(`hybridnet: ${azure}\n`);
      return EXIT.azure;
    }
    throw error;
  }
}

interface AzureFlags {
  readonly subscription?: string;
  readonly cloud?: string;
  readonly armEndpoint?: string;
}

/** `90m`, `2h`, `30s` (or a number of minutes) in milliseconds; a usage error otherwise. */
function duration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'm') as 's' | 'm' | 'h'] : NaN;
  if (!(ms > 0) || ms > 7 * 24 * 3_600_000) throw new InputError(`${flag} takes a duration such as 90m, 2h or 30s, not "${text}"`);
  return ms;
}

/** The JSON form of one file's diagnostics: `format` versions the shape; the counts save a consumer a pass. */
function jsonReport(diagnostics: readonly Diagnostic[], file: string) {
  const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  return { format: 1, file, ok: !hasErrors(diagnostics), errors: count('error'), warnings: count('warning'), diagnostics: diagnostics.map((d) => jsonDiagnostic(d, file)) };
}

function jsonDiagnostic(d: Diagnostic, file: string) {
  return { code: d.code, severity: d.severity, message: d.message, path: formatPath(d.path), file: d.file ?? file, line: d.line ?? 1, column: d.column ?? 1, ...(d.hint ? { hint: d.hint } : {}), docs: docsLink(d.code) };
}

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
