import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BICEP_CODES } from '@hybridnet/gen-bicep';
import { CGF_CODES } from '@hybridnet/gen-barracuda';
import { CFN_CODES } from '@hybridnet/gen-cloudformation';
import { RRAS_CODES } from '@hybridnet/gen-rras';
import * as barracuda from '../../gen-barracuda/test/cases.ts';
import * as bicep from '../../gen-bicep/test/cases.ts';
import * as cloudformation from '../../gen-cloudformation/test/cases.ts';
import * as rras from '../../gen-rras/test/cases.ts';
import { cli, tempDir, tree, variant } from './helpers.ts';

const B2B = 'examples/branch-to-branch/topology.yaml';

/** A copy of an example with one textual change, written to a temporary file. */
describe('validation through the command line', () => {
  it('reports a routing mistake with its position and exits 1', async () => {
    const file = variant(B2B, 'advertise: [10.60.0.0/16]', 'advertise: [10.60.0.4/32]');
    const result = await cli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ - error hybridnet/validate/routing/site-advertises-only-host: Azure never learns 10\\.60\\.0\\.0/16 of site "branch-rras"`, 'm'));
  });

  it('passes with warnings (exit 0) and counts them', async () => {
    // One tunnel to the active-active gateway, and no claim that the branches survive an instance.
    const file = variant(variant(B2B, '      - {instance: 1, weight: 100}\n', ''), '    survives: [[vgw-hub/0], [vgw-hub/1]]\n', '');
    const result = await cli(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning hybridnet/validate/routing/single-tunnel-to-active-active');
    expect(result.stdout).toContain(`${file}: ok (1 warning)`);
  });

  it('one tunnel to the active-active gateway breaks what the branches say they survive: an error on survives', async () => {
    const file = variant(B2B, '      - {instance: 1, weight: 100}\n', '');
    const result = await cli(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/:\d+:\d+ - error hybridnet\/validate\/intent\/not-resilient: intent "branch-to-branch" fails when instance vgw-hub\/0 is down: /);
  });

  it('stops after the address plan when it has errors', async () => {
    const file = variant(B2B, 'lan: [10.60.0.0/16]', 'lan: [10.100.0.0/24]');
    const result = await cli(['validate', file, '--format', 'json']);
    expect(result.code).toBe(1);
    const codes = (JSON.parse(result.stdout).diagnostics as { code: string }[]).map((d) => d.code);
    expect(codes).toContain('hybridnet/validate/address/domain-overlap');
    expect(codes.every((c) => c.startsWith('hybridnet/validate/address/'))).toBe(true);
  });

  it('generate writes nothing for a topology that fails validation', async () => {
    const file = variant(B2B, 'prefix: 10.100.0.0/26 #', 'prefix: 10.100.0.0/28 #');
    const out = join(tempDir(), 'out');
    const result = await cli(['generate', file, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error hybridnet/validate/subnet/gateway-subnet-coexistence-size');
    expect(tree(out)).toEqual({});
  });
});

describe('hybridnet routes', () => {
  it('prints what each gateway, Route Server, site and subnet learns', async () => {
    const result = await cli(['routes', B2B]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Route Server rs-hub');
    expect(result.stdout).toMatch(/ExpressRoute gateway ergw-hub\n.*\n\s+10\.50\.0\.0\/16\s+ExpressRoute hub-to-branch-er\s+expressroute\n\s+10\.60\.0\.0\/16\s+VPN gateway vgw-hub\s+ebgp via rs-hub/);
    expect(result.stdout).toMatch(/site \(routes toward Azure\) branch-rras[\s\S]*10\.50\.0\.0\/16\s+BGP hub-to-branch-rras \(AS 65515\)/);
  });

  it('shows the routes and the finding when the site advertises only its host', async () => {
    const file = variant(B2B, 'advertise: [10.60.0.0/16]', 'advertise: [10.60.0.4/32]');
    const result = await cli(['routes', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/10\.60\.0\.4\/32\s+tunnel hub-to-branch-rras\s+bgp-peer-host/);
    expect(result.stdout).not.toMatch(/ExpressRoute gateway ergw-hub\n(.*\n)*?\s+10\.60\.0\.0\/16/);
    expect(result.stderr).toContain('error hybridnet/validate/routing/site-advertises-only-host');
  });

  it('gives the routes as JSON', async () => {
    const result = await cli(['routes', B2B, '--format', 'json']);
    const parsed = JSON.parse(result.stdout) as { routes: { kind: string; name: string; routes: { prefix: string; origin: string; active?: boolean }[] }[]; findings: unknown[] };
    const spoke = parsed.routes.find((s) => s.kind === 'subnet' && s.name === 'vnet-spoke-app/app')!;
    // Beside the ExpressRoute gateway, the RRAS peer's host route does not reach the spoke; Azure's reserved ranges are None.
    expect(spoke.routes.filter((r) => r.active).map((r) => `${r.prefix} ${r.origin}`)).toEqual(['10.50.0.0/16 expressroute', '10.60.0.0/16 ebgp', '10.101.0.0/16 system', '10.100.0.0/16 system', '0.0.0.0/0 system', '10.0.0.0/8 system', '172.16.0.0/12 system', '192.168.0.0/16 system', '100.64.0.0/10 system']);
    expect(parsed.findings).toEqual([]);
  });

  it('--trace prints an intent\'s hops, request and reply, and exits 0 when it holds', async () => {
    const result = await cli(['routes', B2B, '--trace', 'branch-to-branch']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('intent "branch-to-branch": symmetric from branch-er to branch-rras: holds');
    expect(result.stdout).toMatch(/request:\n\s+1\. site branch-er \[10\.60\.0\.0\/16 → ExpressRoute hub-to-branch-er[^\n]*\n\s+2\. gateway ergw-hub \(arriving: vnet-hub\/GatewaySubnet's routes\) \[10\.60\.0\.0\/16 → VirtualNetworkGateway \(vgw-hub\)/);
    expect(result.stdout).toMatch(/reply:\n\s+1\. site branch-rras \[10\.50\.0\.0\/16 → BGP hub-to-branch-rras \(AS 65515\)/);
  });

  it('--trace shows where a failing intent is dropped, exits 1, and gives JSON', async () => {
    const file = variant(B2B, 'branchToBranch: true', 'branchToBranch: false');
    const text = await cli(['routes', file, '--trace', 'branch-to-branch']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAILS (0 of 5 flows hold)');
    expect(text.stdout).toContain('✗ dropped at site branch-rras: no route toward 10.50.0.4');
    const json = await cli(['routes', file, '--trace', 'branch-to-branch', '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { holds: boolean; traces: { verdict: string; reply: { dropped: { at: string } } }[] };
    expect(parsed.holds).toBe(false);
    expect(parsed.traces[0]).toMatchObject({ verdict: 'no-return', reply: { dropped: { at: 'site branch-rras' } } });
  });

  it('--fail prints what each node learns differently and every intent under the failure; exit 1 when one fails', async () => {
    const result = await cli(['routes', B2B, '--fail', 'rs-hub']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('with route-server:rs-hub down:');
    expect(result.stdout).toMatch(/  VPN gateway vgw-hub\n    lost    10\.50\.0\.0\/16 +was ExpressRoute gateway ergw-hub\n/);
    expect(result.stdout).toMatch(/  ✗ branch-to-branch: FAILS: 10\.50\.0\.4 → 10\.60\.0\.1 \(branch-rras\): the reply is dropped at site branch-rras: no route toward 10\.50\.0\.4\n  ✓ spoke-to-branches: holds\n/);
    const json = await cli(['routes', B2B, '--fail', 'vgw-hub/1', '--fail', 'hub-to-branch-rras/1', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ failed: ['instance:vgw-hub/1', 'tunnel:hub-to-branch-rras/1'], holds: true, intents: [{ name: 'branch-to-branch', holds: true }, { name: 'spoke-to-branches', holds: true }] });
  });

  it('--fail with both tunnels of the VPN branch down loses the branch; --trace walks the network with them down', async () => {
    const both = await cli(['routes', B2B, '--fail', 'hub-to-branch-rras/0,hub-to-branch-rras/1', '--format', 'json']);
    expect(both.code).toBe(1);
    const report = JSON.parse(both.stdout) as { changes: { node: string; change: string; prefix: string }[] };
    expect(report.changes).toContainEqual(expect.objectContaining({ node: 'vgw-hub', change: 'lost', prefix: '10.60.0.0/16' }));
    const trace = await cli(['routes', B2B, '--trace', 'spoke-to-branches', '--fail', 'hub-to-branch-rras']);
    expect(trace.code).toBe(1);
    expect(trace.stdout).toContain('intent "spoke-to-branches": reach from vm-spoke-app to branch-er, vm-branch-rras: FAILS');
  });

  it('--fail naming no element is a usage error that lists what can fail', async () => {
    const result = await cli(['routes', B2B, '--fail', 'vgw-hub/2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--fail: the topology has no element "vgw-hub/2"; elements that can fail: connection:hub-to-branch-er, connection:hub-to-branch-rras, tunnel:hub-to-branch-rras/0');
  });

  it('--trace with a name no intent has is a usage error with the nearest name', async () => {
    const result = await cli(['routes', B2B, '--trace', 'branch-2-branch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no intent is named "branch-2-branch"; did you mean "branch-to-branch"?');
  });
});

describe('hybridnet diagram and report', () => {
  it('prints the Mermaid diagram', async () => {
    const result = await cli(['diagram', B2B, '--format', 'mermaid']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('flowchart LR\n')).toBe(true);
  });

  it('writes an SVG diagram, the same twice', async () => {
    const out = join(tempDir(), 'd.svg');
    expect((await cli(['diagram', B2B, '--out', out])).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    await cli(['diagram', B2B, '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe(first);
    expect(first).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    // Each intent's path, as generate's diagram.svg draws it.
    expect(first).toContain('<g class="intent-path" id="path-branch-to-branch">');
  });

  it('writes report.html, and shows the findings of a topology with a routing mistake (exit 1)', async () => {
    const dir = tempDir();
    const file = variant(B2B, 'advertise: [10.60.0.0/16]', 'advertise: [10.60.0.4/32]');
    const result = await cli(['report', file, '--out', dir]);
    expect(result.code).toBe(1);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('hybridnet/validate/routing/site-advertises-only-host');
    // A failing intent's path is on the diagram, in red, and its row links to it.
    expect(html).toContain('<a class="draw" href="#path-spoke-to-branches">on the diagram</a>');
    expect(html).toMatch(/<g class="intent-path" id="path-spoke-to-branches"><polyline [^>]*stroke="#dc2626"/);
  });

  it('a topology that does not load writes no report', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hybridnet: 1\nname: [oops\n');
    const result = await cli(['report', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(tree(join(dir, 'out'))).toEqual({});
  });
});

describe('validate reports everything generate would refuse', () => {
  const generatorCases = [bicep, rras, cloudformation, barracuda].flatMap((c) => c.DIAGNOSTIC_CASES as { code: string; text: () => string }[]);

  it('has a case for every code of every generator', () => {
    const codes = [...Object.keys(BICEP_CODES), ...Object.keys(RRAS_CODES), ...Object.keys(CFN_CODES), ...Object.keys(CGF_CODES)];
    expect(codes.filter((code) => !generatorCases.some((c) => c.code === code))).toEqual([]);
  });

  it.each(generatorCases)('$code', async ({ code, text }) => {
    const dir = tempDir();
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, text());
    const result = await cli(['validate', file, '--format', 'json']);
    const diagnostics = (JSON.parse(result.stdout) as { diagnostics: { code: string; severity: string; line: number }[] }).diagnostics;
    const hit = diagnostics.find((d) => d.code === code);
    expect(hit, result.stdout).toBeDefined();
    expect(hit!.line).toBeGreaterThan(0);
    expect(result.code).toBe(diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
  });
});

describe('what the generated documents say about the run', () => {
  it("DEPLOY.md names the topology file the user gave, as seen from the output folder where its steps run", async () => {
    const out = join(tempDir(), 'out');
    expect((await cli(['generate', B2B, '--out', out, '--target', 'docs'])).code).toBe(0);
    const deploy = readFileSync(join(out, 'docs', 'DEPLOY.md'), 'utf8');
    const named = /npx hybridnet deploy azure '([^']+)' --subscription/.exec(deploy)![1]!;
    expect(named).not.toBe('topology.yaml');
    expect(readFileSync(join(out, named), 'utf8')).toBe(readFileSync(B2B, 'utf8'));
  });

  it.each([['docs'], ['bicep,rras,cloudformation,barracuda,docs']])("generate --target %s: the report lists each generator's warning once", async (targets) => {
    const file = variant(B2B, '\nconnections:', '\n  - name: branch-spare\n    lan: [10.70.0.0/16]\n    device: { type: rras, publicIp: 203.0.113.70, privateIp: 10.70.0.4 }\n\nconnections:');
    const out = join(tempDir(), 'out');
    expect((await cli(['generate', file, '--out', out, '--target', targets])).code).toBe(0);
    expect(readFileSync(join(out, 'docs', 'report.html'), 'utf8').split('hybridnet/gen-rras/site-without-connection')).toHaveLength(2);
  });

  it("the report's findings include the generators' warnings", async () => {
    const file = variant(B2B, '\nconnections:', '\n  - name: branch-spare\n    lan: [10.70.0.0/16]\n    device: { type: rras, publicIp: 203.0.113.70, privateIp: 10.70.0.4 }\n\nconnections:');
    const out = join(tempDir(), 'out');
    const result = await cli(['report', file, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('hybridnet/gen-rras/site-without-connection');
  });
});
