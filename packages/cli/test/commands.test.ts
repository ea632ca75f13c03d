/**
 * One module per command: every command `hybridnet --help` lists is declared in
 * src/commands/<name>.ts, the only file that names it, and main.ts only wires them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './helpers.ts';

const SRC = new URL('../src/', import.meta.url);
const listed = async () => [...(await cliInProcess(['--help'])).stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');

describe('the command modules', () => {
  it('each command is declared in commands/<its name>.ts and nowhere else', async () => {
    const commands = await listed();
    expect(commands).toEqual(['validate', 'routes', 'diff', 'generate', 'diagram', 'report', 'deploy', 'verify', 'import', 'lab', 'fmt', 'init', 'explain', 'schema', 'version']);
    const files = [...readdirSync(new URL('commands/', SRC)).map((f) => `commands/${f}`), ...readdirSync(SRC).filter((f) => f.endsWith('.ts'))];
    for (const command of commands) {
      const declaring = files.filter((f) => readFileSync(new URL(f, SRC), 'utf8').includes(`.command('${command}')`));
      expect(declaring, command).toEqual([`commands/${command}.ts`]);
    }
  });

  it('main.ts declares no command and holds no action', () => {
    const main = readFileSync(new URL('main.ts', SRC), 'utf8');
    expect(main).not.toMatch(/\.command\(|\.action\(/);
  });
});
