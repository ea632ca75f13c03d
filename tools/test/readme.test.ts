/**
 * Every command in the READMEs is valid shell, and the ones that need no Azure account run as
 * written from the workspace root (in a scratch copy of the paths they write).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellProblems } from '../test-support/shell.ts';

const readmes = ['README.md', ...readdirSync('examples').map((e) => join('examples', e, 'README.md'))];
const blocks = (file: string) => [...readFileSync(file, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
/** Lines that run hybridnet offline: everything but deploy. */
const offline = (block: string) => block.split('\n').filter((line) => /^npx hybridnet (validate|routes|generate|schema|diagram|report|explain|init)\b/.test(line));

describe.each(readmes)('%s', (readme) => {
  it('every shell block passes sh -n, bash -n and ShellCheck', () => {
    for (const block of blocks(readme)) expect(shellProblems(block, { bash: true }), block).toEqual([]);
  });

  it('every offline hybridnet command runs as written', () => {
    const lines = blocks(readme).flatMap(offline);
    const scratch = mkdtempSync(join(tmpdir(), 'hybridnet-readme-'));
    cpSync('examples', join(scratch, 'examples'), { recursive: true });
    for (const line of lines) {
      const bin = join(process.cwd(), 'packages/cli/bin/hybridnet.js');
      const result = spawnSync('sh', ['-c', line.replace(/^npx hybridnet/, `"${process.execPath}" "${bin}"`)], { cwd: scratch, encoding: 'utf8' });
      expect(result.status, `${line}\n${result.stderr}`).toBe(0);
    }
  }, 120_000); // each line is a run of the command line
});
