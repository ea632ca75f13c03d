import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run, type TargetEntry } from '@hybridnet/cli';
import { BIN, bundleIsFresh } from '../../../tools/test-support/bundle.ts';

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Variables added to the environment (the colour variables of the test run are never passed on). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard input. */
  readonly input?: string;
}

/**
 * Runs the command line users run (packages/cli/bin/hybridnet.js, the bundle) as a process, in
 * the repository root, without colour unless `env` asks for it (Nx gives every task
 * FORCE_COLOR=true).
 */
export async function cli(argv: readonly string[], options: CliOptions = {}): Promise<Captured> {
  if (!bundleIsFresh()) throw new Error('packages/cli/dist is older than the sources: the bundle setup (tools/test-support/bundle.setup.ts) did not run');
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [BIN, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => void (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => void (stderr += t));
  child.stdin.on('error', () => {}); // a command that does not read its input
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
  });
  return { code, stdout, stderr };
}

/**
 * Runs the command line inside this process: with generators of the test's own (fakes that fail
 * on purpose), or for property tests that run it hundreds of times.
 */
export async function cliInProcess(argv: readonly string[], targets?: readonly TargetEntry[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  // Plain text, whatever colour the test run was given (Nx gives every task FORCE_COLOR=true).
  const environment = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined };
  const code = await run(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, targets, { environment });
  return { code, stdout, stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hybridnet-test-'));
}

/** Every file below `dir` as relative path → content, including hidden ones. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })) walk(dir);
  return out;
}

/** A copy of `topology` (a path) with `from` replaced by `to`, in a folder of its own; `from` must be there. */
export function variant(topology: string, from: string, to: string): string {
  const text = readFileSync(topology, 'utf8');
  if (!text.includes(from)) throw new Error(`"${from}" is not in ${topology}`);
  const file = join(tempDir(), 'topology.yaml');
  writeFileSync(file, text.replace(from, to));
  return file;
}
