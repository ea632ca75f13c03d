/**
 * `hybridnet diff`: what a change does. The same topology is the same behaviour (exit 0); a
 * change shows the routes, verdicts, paths and Azure resources it changes (exit 1 when behaviour
 * differs); the old side can come from standard input (`git show main:topology.yaml | …`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, variant } from './helpers.ts';

const B2B = 'examples/branch-to-branch/topology.yaml';
const WH = 'examples/webapp-hybrid/topology.yaml';

describe('hybridnet diff', () => {
  it('a topology against itself: the same behaviour and resources, exit 0', async () => {
    const result = await cli(['diff', B2B, B2B]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('behaviour: the same (routes, intents and paths)\n\nAzure resources: the same\n');
  });

  it('Route Server branch-to-branch switched off: the routes lost, the intent that fails, its path, and the one resource setting', async () => {
    const after = variant(B2B, 'branchToBranch: true', 'branchToBranch: false');
    const result = await cli(['diff', B2B, after]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^behaviour: differs\n\nroutes that change \(\d+\):\n/);
    expect(result.stdout).toMatch(/  VPN gateway vgw-hub\n    lost    10\.50\.0\.0\/16 +was ExpressRoute gateway ergw-hub\n/);
    expect(result.stdout).toContain('intents whose verdict changes:\n  branch-to-branch: holds → FAILS\n');
    expect(result.stdout).toMatch(/path of branch-to-branch to branch-rras:\n  before: 10\.50\.0\.4 → 10\.60\.0\.1 +│ after: 10\.50\.0\.4 → 10\.60\.0\.9\n/);
    expect(result.stdout).toMatch(/\n  reply: +│ reply:\n\* site branch-rras \[10\.50\.0\.0\/16 → BGP hub-to-branch-rras \(AS 65515\)[^│]*│ dropped at site branch-rras\n/);
    expect(result.stdout).toContain('Azure resources that change (1):\n  changed  rg-b2b-network Microsoft.Network/virtualHubs rs-hub: properties.allowBranchToBranchTraffic\n');
  });

  it('an intent added, in JSON: declared on one side only, and no route or resource changes', async () => {
    const after = variant(WH, '  - name: backend-to-partner-api\n', '  - name: backend-to-onprem-azure\n    kind: reach\n    from: vnet-webapp/backend\n    to: [onprem-azure]\n  - name: backend-to-partner-api\n');
    const result = await cli(['diff', WH, after, '--format', 'json']);
    expect(result.code).toBe(1);
    const diff = JSON.parse(result.stdout) as { same: boolean; intents: unknown[]; routes: unknown[]; resources: unknown[] };
    expect(diff.same).toBe(false);
    expect(diff.intents).toEqual([{ name: 'backend-to-onprem-azure', after: true }]);
    expect(diff.routes).toEqual([]);
    expect(diff.resources).toEqual([]);
  });

  it('the old side from standard input, as git show main:topology.yaml gives it', async () => {
    // A larger gateway: Azure is asked for another SKU, and nothing routes differently.
    const after = variant(B2B, 'sku: VpnGw2AZ', 'sku: VpnGw3AZ');
    const result = await cli(['diff', '-', after, '--format', 'json'], { input: readFileSync(B2B, 'utf8') });
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout) as { same: boolean; resources: { resource: string; change: string; settings: string[] }[] };
    expect(diff.same).toBe(true);
    expect(diff.resources).toEqual([{ resource: 'rg-b2b-network Microsoft.Network/virtualNetworkGateways vgw-hub', change: 'changed', settings: ['properties.sku.name', 'properties.sku.tier'] }]);
  });

  it('a side that does not load is its diagnostics, positioned, exit 1; both sides on standard input is a usage error', async () => {
    const broken = variant(B2B, 'asn: 65060', 'asn: banana');
    const result = await cli(['diff', B2B, broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/topology\.yaml:\d+:\d+ - error /);
    expect((await cli(['diff', '-', '-'])).code).toBe(2);
  });
});
