/**
 * The `hybridnet` command line: the program, its global options, the steps every command shares
 * (read and validate a topology, print diagnostics) and the exit codes. Each command is a module
 * of its own under commands/ (its options, help and action), found by its name:
 *
 *   validate, routes, generate, diagram, report, deploy (azure), verify (azure), lab, fmt, init,
 *   explain, schema, version
 *
 * Global: --rule <code=level> (repeatable), --no-color. A topology `-` is standard input.
 * Exit codes: 0 ok, 1 the topology has errors, 2 usage or I/O problem, 3 Azure refused or unreachable.
 */
import { Command, CommanderError } from 'commander';
import type { Diagnostic } from '@hybridnet/model';
import { VERSION } from './version.ts';
import { checkWithRules, InputError, loadTopologyFile, type Checked } from './pipeline.ts';
import { azureText, presentDiagnostic, terminalText, wantsColor } from './present.ts';
import { AzureError } from './azure.ts';
import { parseRuleOptions } from './rules.ts';
import { TARGETS, type TargetEntry } from './targets.ts';
import { EXIT, jsonReport, type CommandContext, type DeploymentContext, type Io, type Register } from './commands/context.ts';
import { registerDeploy } from './commands/deploy.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerDiff } from './commands/diff.ts';
import { registerExplain } from './commands/explain.ts';
import { registerFmt } from './commands/fmt.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerImport } from './commands/import.ts';
import { registerInit } from './commands/init.ts';
import { registerLab } from './commands/lab.ts';
import { registerReport } from './commands/report.ts';
import { registerRoutes } from './commands/routes.ts';
import { registerSchema } from './commands/schema.ts';
import { registerValidate } from './commands/validate.ts';
import { registerVerify } from './commands/verify.ts';
import { registerVersion } from './commands/version.ts';

export { EXIT, type DeploymentContext, type Io } from './commands/context.ts';

/** The commands, in the order `hybridnet --help` lists them. */
const COMMANDS: readonly Register[] = [registerValidate, registerRoutes, registerDiff, registerGenerate, registerDiagram, registerReport, registerDeploy, registerVerify, registerImport, registerLab, registerFmt, registerInit, registerExplain, registerSchema, registerVersion];

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
const defaultDeployment: DeploymentContext = { environment: process.env };

/** Runs the command line; `targets` and `deployment` are injectable so tests can plug in their own. */
export async function run(argv: readonly string[], rawIo: Io = processIo, targets: readonly TargetEntry[] = TARGETS, deployment: DeploymentContext = defaultDeployment): Promise<number> {
  // Everything printed is safe for a terminal: control characters from a file name or a value
  // (ESC, BEL: screen clearing, fake output, window titles) are spelled out; line ends and tabs stay.
  const safe = terminalText;
  const io: Io = { out: (text) => rawIo.out(safe(text)), err: (text) => rawIo.err(safe(text)) };
  const program = new Command('hybridnet')
    .description('Validate a hybrid network topology and generate everything needed to build it.')
    .version(VERSION, '-v, --version', 'print the version (-V too)')
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
  const printDiagnostics = (diagnostics: readonly Diagnostic[], format: 'text' | 'json', file: string, allToStderr = false): void => {
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
      const write = allToStderr || d.severity === 'error' ? rawIo.err : rawIo.out;
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

  const ctx: CommandContext = { program, io, rawIo, targets, deployment, sources, check, printDiagnostics, colors, exitCode: EXIT.ok };
  for (const register of COMMANDS) register(ctx);

  try {
    // -V as well as -v: both are common spellings of --version.
    await program.parseAsync(argv.length === 1 && argv[0] === '-V' ? ['--version'] : [...argv], { from: 'user' });
    return ctx.exitCode;
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
