/**
 * `hybridnet fmt` beyond one file: what the project ships is canonical, folders, standard input
 * and --diff, as `terraform fmt` takes them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.ts';

const EXAMPLES = ['examples/webapp-hybrid/topology.yaml', 'examples/branch-to-branch/topology.yaml', 'examples/webapp-regional/topology.yaml'];
// A topology in its canonical form but for aligned comments and padded braces.
const canonical = readFileSync(EXAMPLES[1]!, 'utf8');
const loose = canonical.replace('asn: 65515 # must stay', 'asn: 65515        # must stay').replace('keyVault: {vault: kv-b2b-hub, secret: er-authorization-key}', 'keyVault: { vault: kv-b2b-hub, secret: er-authorization-key }');

describe('hybridnet fmt', () => {
  it('passes everything the project ships: the examples and every starter init writes', async () => {
    expect((await cli(['fmt', '--check', ...EXAMPLES])).code).toBe(0);
    const dir = tempDir();
    for (const template of ['minimal', 'webapp', 'branch-to-branch']) {
      const file = join(dir, `${template}.yaml`);
      expect((await cli(['init', file, '--template', template])).code).toBe(0);
      const check = await cli(['fmt', '--check', file]);
      expect(check.stdout, template).toBe(`${file}: already formatted\n`);
      expect(check.code, template).toBe(0);
    }
  });

  it('takes a folder: every YAML topology in it at any depth, past hidden folders and other YAML', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sites', '.github'), { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), canonical);
    writeFileSync(join(dir, 'sites', 'b.yml'), loose);
    writeFileSync(join(dir, 'sites', '.github', 'c.yaml'), loose);
    writeFileSync(join(dir, 'sites', 'ci.yaml'), 'on: push\njobs:   {}\n');
    const check = await cli(['fmt', '--check', dir]);
    expect(check.stdout).toBe(`${join(dir, 'sites', 'b.yml')}: not formatted (run hybridnet fmt ${join(dir, 'sites', 'b.yml')})\n`);
    expect(check.code).toBe(1);
    const fmt = await cli(['fmt', dir]);
    expect(fmt.stdout).toBe(`formatted ${join(dir, 'sites', 'b.yml')}\n`);
    expect(fmt.code).toBe(0);
    expect(readFileSync(join(dir, 'sites', 'b.yml'), 'utf8')).toBe(canonical);
    expect(readFileSync(join(dir, 'sites', '.github', 'c.yaml'), 'utf8')).toBe(loose);
    expect(readFileSync(join(dir, 'sites', 'ci.yaml'), 'utf8')).toBe('on: push\njobs:   {}\n');
    expect((await cli(['fmt', '--check', dir])).code).toBe(0);
  });

  it('reads standard input (-) and writes the canonical text to standard output; --check says by its exit code', async () => {
    const out = await cli(['fmt', '-'], { input: loose });
    expect(out).toMatchObject({ code: 0, stdout: canonical, stderr: '' });
    expect(await cli(['fmt', '--check', '-'], { input: loose })).toMatchObject({ code: 1, stdout: '' });
    expect(await cli(['fmt', '--check', '-'], { input: canonical })).toMatchObject({ code: 0, stdout: '' });
  });

  it('--diff prints the change as a unified diff and writes nothing; with --check it exits 1', async () => {
    const file = join(tempDir(), 'topology.yaml');
    writeFileSync(file, loose);
    const diff = await cli(['fmt', '--diff', file]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(`--- a/${file}\n+++ b/${file}\n`);
    expect(diff.stdout).toContain('\n-          asn: 65515        # must stay 65515 for coexistence and Route Server\n+          asn: 65515 # must stay 65515 for coexistence and Route Server\n');
    expect(diff.stdout).toContain('\n-      keyVault: { vault: kv-b2b-hub, secret: er-authorization-key }\n+      keyVault: {vault: kv-b2b-hub, secret: er-authorization-key}\n');
    expect(readFileSync(file, 'utf8')).toBe(loose);
    expect((await cli(['fmt', '--diff', '--check', file])).code).toBe(1);
  });

  it('with several paths, one that cannot be read is said and the others are still formatted (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.yaml'), loose);
    const r = await cli(['fmt', join(dir, 'missing.yaml'), join(dir, 'b.yaml')]);
    expect(r.stderr).toMatch(/^hybridnet: cannot read .*missing\.yaml: no such file\n$/);
    expect(r.stdout).toBe(`formatted ${join(dir, 'b.yaml')}\n`);
    expect(r.code).toBe(2);
  });
});
