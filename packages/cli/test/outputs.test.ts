/**
 * What commands print for scripts and pipes: generate --format json lists what it wrote,
 * validate --format json says an unreadable file in JSON, report --out - is the page on standard
 * output, schema --out says what it wrote; and the hint for a GatewaySubnet too small for Azure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.ts';

const REGIONAL = 'examples/webapp-regional/topology.yaml';

describe('output for scripts and pipes', () => {
  it('generate --format json lists each target folder with the files written in it; on an error, none', async () => {
    const out = join(tempDir(), 'out');
    const r = await cli(['generate', REGIONAL, '--out', out, '--target', 'bicep,rras', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { ok: boolean; written: { target: string; folder: string; files: string[] }[] };
    expect(json.ok).toBe(true);
    expect(json.written.map((w) => [w.target, w.folder])).toEqual([['bicep', join(out, 'bicep')], ['rras', join(out, 'rras')]]);
    for (const w of json.written) for (const f of w.files) expect(readFileSync(join(w.folder, f), 'utf8').length, f).toBeGreaterThan(0);
    expect(json.written[0]!.files).toContain('main.bicep');
    const bad = join(tempDir(), 'bad.yaml');
    const text = readFileSync(REGIONAL, 'utf8');
    expect(text).toContain('addressSpace: [10.30.0.0/16]');
    writeFileSync(bad, text.replace('addressSpace: [10.30.0.0/16]', 'addressSpace: [10.30.0.0/33]'));
    const failed = await cli(['generate', bad, '--out', join(tempDir(), 'out'), '--format', 'json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, written: [] });
  });

  it('validate --format json says a file it cannot read in JSON, even alone (exit 2, nothing on standard error)', async () => {
    const r = await cli(['validate', '/nonexistent/topology.yaml', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ format: 1, file: '/nonexistent/topology.yaml', ok: false, errors: 0, warnings: 0, unreadable: 'cannot read /nonexistent/topology.yaml: no such file', diagnostics: [] });
  });

  it('report --out - writes the page to standard output and the findings to standard error', async () => {
    const r = await cli(['report', 'examples/webapp-hybrid/topology.yaml', '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout.trimEnd().endsWith('</html>')).toBe(true);
    expect(r.stderr).toContain('warning hybridnet/validate/appservice/gateway-required-retiring');
  });

  it('schema --out says what it wrote', async () => {
    const file = join(tempDir(), 'schema.json');
    const r = await cli(['schema', '--out', file]);
    expect(r).toMatchObject({ code: 0, stdout: `wrote ${file}\n` });
    expect(JSON.parse(readFileSync(file, 'utf8')).$schema).toBeDefined();
  });

  it('a /30 GatewaySubnet: the hint asks for /27 (what Azure recommends), not the /29 it warns about', async () => {
    const file = join(tempDir(), 'topology.yaml');
    writeFileSync(file, readFileSync('examples/branch-to-branch/topology.yaml', 'utf8').replace('prefix: 10.100.0.0/26 #', 'prefix: 10.100.0.0/30 #'));
    const r = await cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error hybridnet/validate/address/subnet-size: subnet "GatewaySubnet" is 10.100.0.0/30');
    expect(r.stderr).toContain('use /27, the size Azure recommends for GatewaySubnet (/28 and /29 are accepted with a warning)');
  });
});
