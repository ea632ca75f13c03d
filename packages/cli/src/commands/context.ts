/**
 * What every command module gets from `run` (main.ts): the program to add itself to, the output
 * streams, the generators, the environment, and the steps they share (read and validate a
 * topology, print diagnostics); and the exit code the command sets.
 */
import { Option, type Command } from 'commander';
import { formatPath, hasErrors, type Diagnostic } from '@hybridnet/model';
import { docsLink } from '../codes.ts';
import { InputError, type Checked, type StdinReader } from '../pipeline.ts';
import type { TargetEntry } from '../targets.ts';

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

/** The environment the command line reads (variables for secrets, colour, Azure's cloud and sign-in); injectable for tests. */
export interface DeploymentContext {
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export interface CommandContext {
  readonly program: Command;
  /** Output made safe for a terminal. */
  readonly io: Io;
  /** The streams as given (for text already made safe, with our own colour codes). */
  readonly rawIo: Io;
  readonly targets: readonly TargetEntry[];
  readonly deployment: DeploymentContext;
  /** The sources read so far, by file, for excerpts under diagnostics. */
  readonly sources: Map<string, string>;
  /** Reads, loads, validates and applies the severity overrides. */
  readonly check: (file: string) => Promise<Checked>;
  /** Errors to standard error, the rest to standard output (all to standard error with `allToStderr`, when standard output carries a document). */
  readonly printDiagnostics: (diagnostics: readonly Diagnostic[], format: 'text' | 'json', file: string, allToStderr?: boolean) => void;
  /** Whether to colour each stream. */
  readonly colors: () => { out: boolean; err: boolean };
  /** The process's exit code, set by the command's action. */
  exitCode: number;
}

/** A command module: adds its command to the program. */
export type Register = (ctx: CommandContext) => void;

/** The JSON form of one file's diagnostics: `format` versions the shape; the counts save a consumer a pass. */
export function jsonReport(diagnostics: readonly Diagnostic[], file: string) {
  const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  return { format: 1, file, ok: !hasErrors(diagnostics), errors: count('error'), warnings: count('warning'), diagnostics: diagnostics.map((d) => jsonDiagnostic(d, file)) };
}

export function jsonDiagnostic(d: Diagnostic, file: string) {
  return { code: d.code, severity: d.severity, message: d.message, path: formatPath(d.path), file: d.file ?? file, line: d.line ?? 1, column: d.column ?? 1, ...(d.hint ? { hint: d.hint } : {}), docs: docsLink(d.code) };
}

/** `90m`, `2h`, `30s` (or a number of minutes) in milliseconds; a usage error otherwise. */
export function duration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'm') as 's' | 'm' | 'h'] : NaN;
  if (!(ms > 0) || ms > 7 * 24 * 3_600_000) throw new InputError(`${flag} takes a duration such as 90m, 2h or 30s, not "${text}"`);
  return ms;
}

/** The `<topology>` argument most commands take. */
export const TOPOLOGY_ARGUMENT = ['<topology>', 'topology file (YAML or JSON)'] as const;

/**
 * The errors that stop a command which explains routing and intents (routes, diff): everything
 * but the routing and intent findings, which are what such a command shows.
 */
export const explainsRouting = (d: Diagnostic): boolean => d.code.startsWith('hybridnet/validate/routing/') || d.code.startsWith('hybridnet/validate/intent/');
export const blockingErrors = (diagnostics: readonly Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === 'error' && !explainsRouting(d));

/** `--format text|json`. */
export const formatOption = (description = 'output format') => new Option('--format <format>', description).choices(['text', 'json']).default('text');

/** The diagram's layout engine and the docs generator, loaded only by the commands that draw. */
export const loadDocs = () => import('@hybridnet/gen-docs');
