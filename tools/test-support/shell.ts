/**
 * Checks a generated POSIX shell script: `sh -n` (and `bash -n` when asked) always, shellcheck
 * where it is installed (.ci/run installs it; elsewhere a warning says it was skipped). Returns
 * what each checker printed, so a clean script gives [].
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'hybridnet-sh-'));
let warned = false;

export function shellProblems(content: string, { bash = false } = {}): string[] {
  const script = join(scratch, 'script.sh');
  writeFileSync(script, content);
  const problems = [spawnSync('sh', ['-n', script], { encoding: 'utf8' }).stderr];
  if (bash) problems.push(spawnSync('bash', ['-n', script], { encoding: 'utf8' }).stderr);
  const shellcheck = spawnSync('shellcheck', ['--shell=sh', script], { encoding: 'utf8' });
  if (!shellcheck.error) problems.push(shellcheck.stdout);
  else if (!warned) {
    warned = true;
    console.warn('shellcheck is not installed here; skipped it (.ci/run installs it)');
  }
  return problems.filter((p) => p !== '');
}
