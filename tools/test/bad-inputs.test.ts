import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TOPOLOGY_BYTES } from '@hybridnet/model';
import { cli } from '../../packages/cli/test/helpers.ts';

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

/** Checks one bad input end to end; `codes` must all be among its diagnostics. */
async function check(file: string, codes: readonly string[]): Promise<void> {
  const validated = await cli(['validate', file, '--format', 'json']);
  expect(validated.stderr).toBe('');
  const diagnostics = (JSON.parse(validated.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^hybridnet\/[a-z-]+\/[a-z0-9/-]+$/);
    expect([d.file, d.line! >= 1, d.column! >= 1]).toEqual([file, true, true]);
  }
  expect(diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining([...codes]));
  const errors = diagnostics.some((d) => d.severity === 'error');
  expect(validated.code).toBe(errors ? 1 : 0);

  // Text form: file:line:column - severity code
  const text = await cli(['validate', file]);
  expect(text.code).toBe(validated.code);
  expect(text.stdout + text.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ - (error|warning|info) hybridnet/`, 'm'));

  if (!errors) return;
  // An earlier output folder survives a failed generate untouched.
  const out = mkdtempSync(join(tmpdir(), 'hybridnet-bad-'));
  mkdirSync(join(out, 'bicep'));
  writeFileSync(join(out, 'bicep', 'main.bicep'), '// earlier output\n');
  const generated = await cli(['generate', file, '--out', out]);
  expect(generated.code).toBe(1);
  expect(snapshot(out)).toBe('// earlier output\n');
}

describe('the bad-input corpus (test/bad-inputs)', () => {
  it('holds at least 60 inputs, each with its expected codes', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(60);
    for (const codes of Object.values(expected)) expect(codes.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(expected))('%s', async (name, codes) => {
    await check(join('test/bad-inputs', name), codes);
  });

  it('a file over the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-huge-'));
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `hybridnet: 1\nname: huge\n# ${'x'.repeat(MAX_TOPOLOGY_BYTES)}\n`);
    await check(file, ['hybridnet/load/file-too-large']);
  });
});
