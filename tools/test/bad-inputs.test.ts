import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TOPOLOGY_BYTES } from '@hybridnet/model';
import { cli, cliInProcess } from '../../packages/cli/test/helpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpus = join(root, 'test/bad-inputs');
const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Record<string, string[]>;

interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  file?: string;
  line?: number;
  column?: number;
}

const snapshot = (dir: string) => readFileSync(join(dir, 'bicep', 'main.bicep'), 'utf8');

interface JsonReport {
  file: string;
  ok: boolean;
  diagnostics: JsonDiagnostic[];
}

/**
 * Checks one bad input end to end; `codes` must all be among its diagnostics. `report` is its JSON
 * report from the command line users run (the bundle); the text form and the refused generate run
 * in this process (the corpus is 70 files: one bundle run reads them all).
 */
async function check(file: string, codes: readonly string[], report?: JsonReport): Promise<void> {
  const validated = report ? undefined : await cli(['validate', file, '--format', 'json']);
  if (validated) expect(validated.stderr).toBe('');
  const diagnostics = (report ?? (JSON.parse(validated!.stdout) as JsonReport)).diagnostics;
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^hybridnet\/[a-z-]+\/[a-z0-9/-]+$/);
    expect([d.file, d.line! >= 1, d.column! >= 1]).toEqual([file, true, true]);
  }
  expect(diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining([...codes]));
  const errors = diagnostics.some((d) => d.severity === 'error');
  if (validated) expect(validated.code).toBe(errors ? 1 : 0);
  else expect(report!.ok).toBe(!errors);

  // Text form: file:line:column - severity code; nothing a terminal would act on, no echoed secret.
  const text = await cliInProcess(['validate', file]);
  expect(text.code).toBe(errors ? 1 : 0);
  expect(text.stdout + text.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  expect(text.stdout + text.stderr + JSON.stringify(diagnostics)).not.toContain('98765432101');
  expect(text.stdout + text.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ - (error|warning|info) hybridnet/`, 'm'));

  if (!errors) return;
  // An earlier output folder survives a failed generate untouched.
  const out = mkdtempSync(join(tmpdir(), 'hybridnet-bad-'));
  mkdirSync(join(out, 'bicep'));
  writeFileSync(join(out, 'bicep', 'main.bicep'), '// earlier output\n');
  const generated = await cliInProcess(['generate', file, '--out', out]);
  expect(generated.code).toBe(1);
  expect(snapshot(out)).toBe('// earlier output\n');
}

describe('the bad-input corpus (test/bad-inputs)', () => {
  it('holds at least 60 inputs, each with its expected codes', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(60);
    for (const codes of Object.values(expected)) expect(codes.length).toBeGreaterThan(0);
  });

  // The whole corpus through the bundle in one run: one report per file, and the exit code of the worst.
  let reports: Map<string, JsonReport> | undefined;
  const corpusReport = async (): Promise<Map<string, JsonReport>> => {
    if (reports) return reports;
    const files = Object.keys(expected).map((name) => join('test/bad-inputs', name));
    const result = await cli(['validate', ...files, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const all = JSON.parse(result.stdout) as { ok: boolean; files: JsonReport[] };
    expect(all.ok).toBe(false);
    return (reports = new Map(all.files.map((r) => [r.file, r])));
  };

  it.each(Object.entries(expected))('%s', async (name, codes) => {
    const file = join('test/bad-inputs', name);
    await check(file, codes, (await corpusReport()).get(file));
  });

  /** A generated input: its diagnostics stay few and short however large the input. */
  async function blowUp(name: string, content: string, code: string, most: number): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-blowup-'));
    const file = join(dir, name);
    writeFileSync(file, content);
    await check(file, [code]);
    const result = await cli(['validate', file]);
    expect(result.stdout.length + result.stderr.length).toBeLessThan(40_000);
    const json = JSON.parse((await cli(['validate', file, '--format', 'json'])).stdout) as { diagnostics: JsonDiagnostic[] };
    expect(json.diagnostics.filter((d) => d.code === code).length).toBeLessThanOrEqual(most);
  }
  const head = 'hybridnet: 1\nname: blowup\nazure:\n  location: westeurope\n  resourceGroups: { network: rg }\n  vnets:\n    - name: v\n      addressSpace: [10.0.0.0/16]\n';

  it('6,000 subnets with the same prefix: one grouped finding, not 18 million pairs', async () => {
    await blowUp('dup.yaml', `${head}      subnets:\n${Array.from({ length: 6000 }, (_, i) => `        - { name: s${i}, prefix: 10.0.1.0/24 }`).join('\n')}\n`, 'hybridnet/validate/address/subnet-overlap', 1);
  }, 120_000); // several runs of the command line on a large input: a functional check, not a timing

  it('3,000 nested and identical subnets: at most 50 findings and one that counts the rest', async () => {
    const subnets = Array.from({ length: 3000 }, (_, i) => `        - { name: s${i}, prefix: 10.0.${i % 250}.0/24 }\n        - { name: w${i}, prefix: 10.0.${i % 250}.${(i % 4) * 64}/26 }`).join('\n');
    await blowUp('nested.yaml', `${head}      subnets:\n${subnets}\n`, 'hybridnet/validate/address/subnet-overlap', 51);
  }, 120_000); // several runs of the command line on a large input: a functional check, not a timing

  it('20,000 unknown keys: 100 shown, then a count', async () => {
    await blowUp('keys.yaml', `hybridnet: 1\nname: keys\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`, 'hybridnet/model/unknown-key', 101);
  }, 120_000); // several runs of the command line on a large input: a functional check, not a timing

  it('a 15 MiB key: echoed in 80 characters', async () => {
    await blowUp('bigkey.yaml', `hybridnet: 1\nname: bk\n? ${'k'.repeat(15 * 1024 * 1024)}\n: 1\n`, 'hybridnet/model/unknown-key', 1);
  }, 120_000); // several runs of the command line on a large input: a functional check, not a timing

  it('a file over the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-huge-'));
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `hybridnet: 1\nname: huge\n# ${'x'.repeat(MAX_TOPOLOGY_BYTES)}\n`);
    await check(file, ['hybridnet/load/file-too-large']);
  });
});
