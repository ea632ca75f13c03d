import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run, type TargetEntry } from '@hybridnet/cli';

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(argv: string[], targets?: readonly TargetEntry[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, targets);
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
