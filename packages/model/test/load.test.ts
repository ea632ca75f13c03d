import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatPath, gatewayGeneration, MODEL_CODES, parseTopology, parseTopologyBytes, type Diagnostic } from '@hybridnet/model';
import { CASES, type Case } from './cases.ts';
import { MINIMAL, mutate } from './helpers.ts';

function firstWith(diagnostics: readonly Diagnostic[], code: string): Diagnostic | undefined {
  return diagnostics.find((d) => d.code === code);
}

describe('loader diagnostics', () => {
  it('accepts the base topology', () => {
    const result = parseTopology(MINIMAL, 'minimal.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.topology?.connections[0]).toMatchObject({ name: 'hub-to-branch', ikeVersion: 'IKEv2', bgp: false });
  });

  it.each(CASES)('$name: $code at $at', ({ text, bytes, code, at, message }) => {
    const result = bytes ? parseTopologyBytes(bytes, 'topology.yaml') : parseTopology(text, 'topology.yaml');
    expect(result.topology).toBeUndefined();
    const found = firstWith(result.diagnostics, code);
    expect(found, result.diagnostics.map(formatDiagnostic).join('\n')).toBeDefined();
    expect(`${found!.line}:${found!.column}`).toBe(at);
    expect(found!.severity).toBe('error');
    expect(found!.file).toBe('topology.yaml');
    expect(formatDiagnostic(found!)).toMatch(new RegExp(`^topology\\.yaml:${at} - error ${code}: `));
    if (message) expect(`${found!.message} — ${found!.hint ?? ""}`).toMatch(message);
  });

  it('has a case for every code the model declares', () => {
    const covered = new Set(CASES.map((c) => c.code));
    expect(Object.keys(MODEL_CODES).filter((code) => !covered.has(code as Case['code']))).toEqual([]);
  });

  it('reports every problem of a phase at once, each (path, code) once', () => {
    let text = mutate(MINIMAL, 'lan: [10.1.0.0/16]', 'lan: [10.1.0.0/33, 10.1.0.0/33]');
    text = mutate(text, 'sku: VpnGw1AZ', 'sku: Nope');
    const result = parseTopology(text, 't.yaml');
    expect(result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual([
      'hybridnet/model/invalid-value@17:14',
      'hybridnet/model/invalid-cidr@20:11',
      'hybridnet/model/invalid-cidr@20:24',
    ]);
  });

  it('suggests the closest name for a dangling reference', () => {
    const result = parseTopology(mutate(MINIMAL, '    site: branch\n', '    site: brnach\n'), 't.yaml');
    expect(result.diagnostics[0]?.hint).toBe('did you mean "branch"?');
  });

  it('reads JSON topologies with positions too', () => {
    const json = JSON.stringify({ hybridnet: 1, name: 'j', azure: { location: 'westeurope', resourceGroups: { network: 'rg' }, vnets: [{ name: 'v', addressSpace: ['10.0.0.5/24'] }] } }, null, 2);
    const result = parseTopology(json, 't.json');
    expect(result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['hybridnet/model/cidr-host-bits@13:11']);
  });

  it('fills defaults a generator can rely on', () => {
    const t = parseTopology(MINIMAL, 'm.yaml').topology!;
    expect(t.azure.vnets[0]!.vpnGateway).toMatchObject({ vpnType: 'RouteBased', activeActive: false });
    // The generation is derived from the SKU (Generation1 for VpnGw1AZ), never a fixed default.
    expect(t.azure.vnets[0]!.vpnGateway!.generation).toBeUndefined();
    expect(gatewayGeneration(t.azure.vnets[0]!.vpnGateway!)).toBe('Generation1');
    expect(t.sites[0]!.hosting).toEqual({ type: 'physical' });
    expect(t.azure.routeTables).toEqual([]);
  });
});

describe('hints for a slip', () => {
  it('a value one of a set, in the wrong letter case or a letter off: did you mean, with the right spelling', () => {
    const hint = (from: string, to: string) => parseTopology(mutate(MINIMAL, from, to), 't.yaml').diagnostics.find((d) => d.code === 'hybridnet/model/invalid-value')?.hint;
    expect(hint('        sku: VpnGw1AZ\n', '        sku: vpngw1az\n')).toBe('did you mean "VpnGw1AZ"? (values are case-sensitive)');
    expect(hint('        sku: VpnGw1AZ\n', '        sku: VpnGw1AX\n')).toBe('did you mean "VpnGw1AZ"?');
    expect(hint('        sku: VpnGw1AZ\n', '        sku: Ultra\n')).toBeUndefined();
    expect(hint('      type: rras\n', '      type: RRAS\n')).toBe('did you mean "rras"? (values are case-sensitive)');
  });

  it('a YAML error says what to do; a tab in the indentation, say', () => {
    const d = parseTopology(mutate(MINIMAL, '  location: westeurope', '\tlocation: westeurope'), 't.yaml').diagnostics[0]!;
    expect(d.code).toBe('hybridnet/load/yaml-syntax');
    expect(d.hint).toBe('replace the tabs at the start of the line with spaces (two a level)');
  });
});

describe('package README', () => {
  it('lists every diagnostic code', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(Object.keys(MODEL_CODES).filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});

describe('one diagnostic per mistake', () => {
  it('a misspelt field is an unknown key with its suggestion, not also a missing field', () => {
    const result = parseTopology(mutate(MINIMAL, '        sku: VpnGw1AZ', '        skew: VpnGw1AZ'), 'topology.yaml');
    expect(result.diagnostics.map((d) => `${d.code} ${formatPath(d.path)} ${d.hint}`)).toEqual(['hybridnet/model/unknown-key azure.vnets[0].vpnGateway.skew did you mean "sku"?']);
  });

  it('a field spelt right at the wrong level says so instead of suggesting itself', () => {
    const result = parseTopology(mutate(MINIMAL, '        sku: VpnGw1AZ', '        sku: VpnGw1AZ\n        location: westeurope'), 'topology.yaml');
    expect(result.diagnostics.map((d) => `${d.code} ${formatPath(d.path)} ${d.hint}`)).toEqual(['hybridnet/model/unknown-key azure.vnets[0].vpnGateway.location "location" is a field of another kind of object, not this one: check its indentation and level']);
  });

  it('a field of another kind of intent (survives on an isolate intent) names the kind', () => {
    const text = readFileSync(new URL('../../../examples/branch-to-branch/topology.yaml', import.meta.url), 'utf8').replace('  - name: spoke-to-branches\n    kind: reach\n', '  - name: spoke-to-branches\n    kind: isolate\n    survives: any-single-failure\n');
    const result = parseTopology(text, 'b2b.yaml');
    expect(result.diagnostics.map((d) => `${d.code} ${formatPath(d.path)} ${d.hint}`)).toEqual(['hybridnet/model/unknown-key intents[1].survives "survives" is not a field of one whose kind is isolate: check the kind, or the indentation and level']);
  });

  it('a value written into a secret reference is a literal secret, not a missing env', () => {
    const result = parseTopology(mutate(MINIMAL, '      env: HUB_BRANCH_PSK', '      value: "s3cr3t"'), 'topology.yaml');
    expect(result.diagnostics.map((d) => `${d.code} ${formatPath(d.path)}`)).toEqual(['hybridnet/model/literal-secret connections[0].sharedKey']);
    expect(result.diagnostics[0]!.message).not.toContain('s3cr3t');
  });
});
