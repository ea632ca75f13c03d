/**
 * `hybridnet verify azure` against a Resource Manager on 127.0.0.1 answering Azure's network reads
 * from hand-written fixtures (fixtures/azure-network/*.json, in the shapes Azure returns): a healthy
 * deployment matches the prediction (exit 0, only reads, the exact requests); each classic failure,
 * made by changing the fixture the way Azure would show it, is a row that differs (exit 1).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { run } from '@hybridnet/cli';
import { TARGETS } from '../src/targets.ts';
import { startMockArm, type MockArm, type NetworkFixture } from './mock-arm.ts';

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000aa';
const credential: TokenCredential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const fixture = (name: string): NetworkFixture => JSON.parse(readFileSync(new URL(`./fixtures/azure-network/${name}.json`, import.meta.url), 'utf8')) as NetworkFixture;

async function verify(arm: MockArm, example: string, format: 'text' | 'json' = 'text') {
  let stdout = '';
  let stderr = '';
  const code = await run(['verify', 'azure', `examples/${example}/topology.yaml`, '--subscription', SUBSCRIPTION, '--format', format], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, TARGETS, {
    credential: () => credential,
    environment: {},
    overrides: { endpoint: arm.endpoint, ca: arm.ca, pollIntervalMs: 1 },
  });
  return { code, stdout, stderr };
}

interface Row {
  check: string;
  subject: string;
  ok: boolean;
  expected: string;
  seen: string;
  intent?: string;
}
const differing = (stdout: string) => (JSON.parse(stdout) as { findings: Row[] }).findings.filter((f) => !f.ok).map((f) => `${f.check} ${f.subject}: expected ${f.expected}, seen ${f.seen}`);

describe('hybridnet verify azure', () => {
  let arm: MockArm | undefined;
  afterEach(async () => arm?.close());

  it('a healthy branch-to-branch deployment matches: every gateway, session, connection, NIC and next hop; reads only', async () => {
    arm = await startMockArm({ network: fixture('branch-to-branch') });
    const result = await verify(arm, 'branch-to-branch');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Azure matches the prediction (8 checks).');
    expect(result.stdout).toMatch(/next-hop\s+vm-spoke-app → 10\.60\.1\.10\s+MATCH\s+VirtualNetworkGateway\s+VirtualNetworkGateway 10\.100\.0\.4 \(intent spoke-to-branches\)/);
    const net = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-network/providers/Microsoft.Network`;
    expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${net}/virtualNetworkGateways/vgw-hub/getLearnedRoutes`,
      `POST ${net}/virtualNetworkGateways/ergw-hub/getLearnedRoutes`,
      `POST ${net}/virtualNetworkGateways/vgw-hub/getBgpPeerStatus`,
      `POST ${net}/virtualNetworkGateways/vgw-hub/getAdvertisedRoutes`,
      `GET ${net}/connections/hub-to-branch-rras`,
      `POST /subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-test/providers/Microsoft.Network/networkInterfaces/vm-spoke-app-nic/effectiveRouteTable`,
      `GET /subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/networkWatchers`,
      `POST /subscriptions/${SUBSCRIPTION}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/nextHop`,
      `POST /subscriptions/${SUBSCRIPTION}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/nextHop`,
    ]);
    expect(arm.requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(JSON.parse(arm.requests.at(-1)!.body)).toEqual({ targetResourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-test/providers/Microsoft.Compute/virtualMachines/vm-spoke-app`, sourceIPAddress: '10.101.1.10', destinationIPAddress: '10.60.1.10' });
  });

  it('a healthy web-app deployment matches, the firewall next hop included', async () => {
    arm = await startMockArm({ network: fixture('webapp-hybrid') });
    const result = await verify(arm, 'webapp-hybrid', 'json');
    expect(differing(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { findings: Row[] }).findings.find((f) => f.check === 'next-hop' && f.subject.endsWith('203.0.113.0'))).toMatchObject({ subject: 'vm-backend → 203.0.113.0', ok: true, seen: 'VirtualAppliance 10.10.1.4', intent: 'backend-to-partner-api' });
  });

  it('a host-only advertisement: neither gateway learns the branch range', async () => {
    const f = fixture('branch-to-branch');
    f.learnedRoutes['vgw-hub'] = f.learnedRoutes['vgw-hub']!.filter((r) => r.network !== '10.60.0.0/16').concat([{ network: '10.60.0.4/32', origin: 'EBgp', sourcePeer: '10.60.0.4' }]);
    f.learnedRoutes['ergw-hub'] = f.learnedRoutes['ergw-hub']!.filter((r) => r.network !== '10.60.0.0/16');
    arm = await startMockArm({ network: f });
    const result = await verify(arm, 'branch-to-branch', 'json');
    expect(result.code).toBe(1);
    expect(differing(result.stdout)).toEqual(['learned-routes vgw-hub: expected 10.60.0.0/16 (ebgp), seen missing', 'learned-routes ergw-hub: expected 10.60.0.0/16 (ebgp), seen missing']);
  });

  it('a single tunnel to the active-active gateway: one BGP session where two are predicted', async () => {
    const f = fixture('branch-to-branch');
    f.bgpPeers['vgw-hub']![1]!.state = 'Connecting';
    arm = await startMockArm({ network: f });
    const result = await verify(arm, 'branch-to-branch', 'json');
    expect(result.code).toBe(1);
    expect(differing(result.stdout)).toEqual(['bgp-peers vgw-hub → 10.60.0.4 (hub-to-branch-rras): expected 2 Connected sessions, seen 1 Connected']);
  });

  it('the site without the point-to-site pool: the gateway playing the site never holds a route back to the app', async () => {
    const f = fixture('webapp-hybrid');
    f.learnedRoutes['vgw-onprem-sim'] = f.learnedRoutes['vgw-onprem-sim']!.filter((r) => r.network !== '172.16.201.0/24');
    f.effectiveRoutes['vm-onprem-azure-nic'] = f.effectiveRoutes['vm-onprem-azure-nic']!.filter((r) => !(r.addressPrefix as string[]).includes('172.16.201.0/24'));
    arm = await startMockArm({ network: f });
    const result = await verify(arm, 'webapp-hybrid');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/learned-routes\s+vgw-onprem-sim\s+DIFFERS\s+172\.16\.201\.0\/24 \(lng-static\)\s+missing/);
    expect(result.stdout).toMatch(/effective-routes\s+vm-onprem-azure 172\.16\.201\.0\/24\s+DIFFERS\s+VirtualNetworkGateway\s+missing/);
    expect(result.stdout).toContain('2 of 9 checks differ from the prediction.');
  });

  it('Route Server without branch-to-branch: the gateways do not learn each other\'s branch', async () => {
    const f = fixture('branch-to-branch');
    for (const gw of ['vgw-hub', 'ergw-hub']) f.learnedRoutes[gw] = f.learnedRoutes[gw]!.filter((r) => r.origin !== 'IBgp');
    f.advertisedRoutes['vgw-hub 10.60.0.4'] = f.advertisedRoutes['vgw-hub 10.60.0.4']!.filter((r) => r.network !== '10.50.0.0/16');
    arm = await startMockArm({ network: f });
    const result = await verify(arm, 'branch-to-branch', 'json');
    expect(result.code).toBe(1);
    expect(differing(result.stdout)).toEqual([
      'learned-routes vgw-hub: expected 10.50.0.0/16 (expressroute), seen missing',
      'learned-routes ergw-hub: expected 10.60.0.0/16 (ebgp), seen missing',
      'advertised-routes vgw-hub → 10.60.0.4 (hub-to-branch-rras): expected 10.50.0.0/16, seen not advertised',
    ]);
  });

  it('routes present and unpredicted, a connection down and a next hop that disagrees with an intent are each a row', async () => {
    const f = fixture('branch-to-branch');
    f.learnedRoutes['vgw-hub']!.push({ network: '10.99.0.0/16', origin: 'EBgp', sourcePeer: '10.60.0.4' });
    f.connections['hub-to-branch-rras'] = 'NotConnected';
    f.nextHops['10.101.1.10>10.60.1.10'] = { nextHopType: 'None' };
    arm = await startMockArm({ network: f });
    const result = await verify(arm, 'branch-to-branch', 'json');
    expect(differing(result.stdout)).toEqual([
      'learned-routes vgw-hub: expected not predicted, seen 10.99.0.0/16 (EBgp)',
      'connection hub-to-branch-rras: expected Connected, seen NotConnected',
      'next-hop vm-spoke-app → 10.60.1.10: expected VirtualNetworkGateway, seen None',
    ]);
  });

  it('what Azure refuses is a row naming its answer; when every read is refused, exit 3', async () => {
    arm = await startMockArm({ status: 403 });
    const result = await verify(arm, 'branch-to-branch');
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('Azure answered: 403 AuthorizationFailed');
  });
});
