/**
 * `hybridnet verify azure`, run as users run it (the bundle, as a process, signed in through the
 * Azure CLI), against the local Resource Manager that answers as Microsoft's samples do
 * (tools/test-support/arm-stand-in.ts). What the deployed network holds (learned routes, BGP
 * peers, advertised routes, connection states, NICs' effective routes, next hops) is a fixture
 * (fixtures/azure-network/*.json) put into each sample's shape: the route lists into the
 * GatewayRouteListResult and BgpPeerStatusListResult the spec defines (the samples' bodies are
 * empty), the connection's status into VirtualNetworkGatewayConnectionGet.json, the routes into
 * NetworkInterfaceEffectiveRouteTableList.json's `value`, the next hop into
 * NetworkWatcherNextHopGet.json; a NIC's effective security groups and IP flow verify, which the
 * corpus has no operation for, in the REST reference's shapes (EffectiveNetworkSecurityGroupListResult,
 * VerificationIPFlowResult). A healthy deployment matches (exit 0, only reads, the exact
 * requests); each classic failure, made by changing the fixture the way Azure would show it, is a
 * row that differs (exit 1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startArmStandIn, skipWithoutSamples, type ArmStandIn, type StandInOptions } from '../../../tools/test-support/arm-stand-in.ts';
import { fixture, network, type NetworkFixture } from '../../../tools/test-support/azure-network.ts';
import { azureEnvironment, fakeAz, TEST_SUBSCRIPTION, TEST_TOKEN } from '../../../tools/test-support/azure-session.ts';
import { cli } from './helpers.ts';

const SUBSCRIPTION = TEST_SUBSCRIPTION;

let arm: ArmStandIn | undefined;
async function verify(f: NetworkFixture | StandInOptions, example: string, format: 'text' | 'json' = 'text') {
  arm = await startArmStandIn('learnedRoutes' in f ? { variants: network(f) } : f);
  const az = fakeAz();
  return cli(['verify', 'azure', `examples/${example}/topology.yaml`, '--subscription', SUBSCRIPTION, '--format', format], { env: azureEnvironment(arm, az) });
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

describe.skipIf(skipWithoutSamples('verify azure against the local Resource Manager'))('hybridnet verify azure', () => {
  afterEach(async () => {
    await arm?.close();
    arm = undefined;
  });

  it('a healthy branch-to-branch deployment matches: every gateway, session, connection, NIC and next hop; reads only', async () => {
    const result = await verify(fixture('branch-to-branch'), 'branch-to-branch');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Azure matches the prediction (8 checks).');
    expect(result.stdout).toMatch(/next-hop\s+vm-spoke-app → 10\.60\.1\.10\s+MATCH\s+VirtualNetworkGateway\s+VirtualNetworkGateway 10\.100\.0\.4 \(intent spoke-to-branches\)/);
    const net = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-network/providers/Microsoft.Network`;
    // The reads, in order (each long-running read polled on Azure-AsyncOperation, its result read from Location).
    expect(arm!.requests.filter((r) => !r.operationId.startsWith('poll:')).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /metadata/endpoints',
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
    expect(arm!.requests.filter((r) => r.operationId === 'poll:result')).toHaveLength(7);
    expect(arm!.requests.every((r) => ['GET', 'POST'].includes(r.method))).toBe(true);
    expect(arm!.unmatched).toEqual([]);
    expect(arm!.requests.filter((r) => r.operationId !== 'Metadata_Endpoints').every((r) => r.authorization === `Bearer ${TEST_TOKEN}`)).toBe(true);
    expect(JSON.parse(arm!.requests.filter((r) => r.operationId === 'NetworkWatchers_GetNextHop').at(-1)!.body)).toEqual({ targetResourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-test/providers/Microsoft.Compute/virtualMachines/vm-spoke-app`, sourceIPAddress: '10.101.1.10', destinationIPAddress: '10.60.1.10' });
  });

  it('a healthy web-app deployment matches, the firewall next hop included', async () => {
    const result = await verify(fixture('webapp-hybrid'), 'webapp-hybrid', 'json');
    expect(differing(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { findings: Row[] }).findings.find((f) => f.check === 'next-hop' && f.subject.endsWith('203.0.113.4'))).toMatchObject({ subject: 'vm-backend → 203.0.113.4', ok: true, seen: 'VirtualAppliance 10.10.1.4', intent: 'backend-to-partner-api' });
  });

  it("a security group Azure holds otherwise than the topology says: a rule missing from the NIC's effective rules, and IP flow verify denying what the data plane lets in", async () => {
    const f = fixture('webapp-hybrid');
    const group = f.securityGroups!['vm-backend-nic']![0] as { effectiveSecurityRules: { name: string }[] };
    group.effectiveSecurityRules = group.effectiveSecurityRules.filter((r) => r.name !== 'securityRules/allow-sites-https');
    f.ipFlows!['vm-backend Inbound 10.20.1.20 TCP 443'] = { access: 'Deny', ruleName: 'securityRules/deny-sites' };
    const result = await verify(f, 'webapp-hybrid', 'json');
    expect(result.code).toBe(1);
    expect(differing(result.stdout)).toEqual([
      'security-rules vm-backend securityRules/allow-sites-https: expected in force, seen missing',
      'ip-flow vm-backend inbound 10.20.1.20 TCP 443: expected Allow (securityRules/allow-sites-https of nsg-backend), seen Deny (securityRules/deny-sites)',
    ]);
    const ask = JSON.parse(arm!.requests.filter((r) => r.operationId === 'NetworkWatchers_VerifyIPFlow').at(-1)!.body);
    expect(ask).toEqual({ targetResourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-webapp-hybrid-test/providers/Microsoft.Compute/virtualMachines/vm-backend`, direction: 'Inbound', protocol: 'TCP', localPort: '443', remotePort: '*', localIPAddress: '10.10.2.10', remoteIPAddress: '10.20.1.20' });
  });

  it('a host-only advertisement: neither gateway learns the branch range', async () => {
    const f = fixture('branch-to-branch');
    f.learnedRoutes['vgw-hub'] = f.learnedRoutes['vgw-hub']!.filter((r) => r.network !== '10.60.0.0/16').concat([{ network: '10.60.0.4/32', origin: 'EBgp', sourcePeer: '10.60.0.4' }]);
    f.learnedRoutes['ergw-hub'] = f.learnedRoutes['ergw-hub']!.filter((r) => r.network !== '10.60.0.0/16');
    const result = await verify(f, 'branch-to-branch', 'json');
    expect(result.code).toBe(1);
    expect(differing(result.stdout)).toEqual(['learned-routes vgw-hub: expected 10.60.0.0/16 (ebgp), seen missing', 'learned-routes ergw-hub: expected 10.60.0.0/16 (ebgp), seen missing']);
  });

  it('a single tunnel to the active-active gateway: one BGP session where two are predicted', async () => {
    const f = fixture('branch-to-branch');
    f.bgpPeers['vgw-hub']![1]!.state = 'Connecting';
    const result = await verify(f, 'branch-to-branch', 'json');
    expect(result.code).toBe(1);
    expect(differing(result.stdout)).toEqual(['bgp-peers vgw-hub → 10.60.0.4 (hub-to-branch-rras): expected 2 Connected sessions, seen 1 Connected']);
  });

  it('the site without the point-to-site pool: the gateway playing the site never holds a route back to the app', async () => {
    const f = fixture('webapp-hybrid');
    f.learnedRoutes['vgw-onprem-sim'] = f.learnedRoutes['vgw-onprem-sim']!.filter((r) => r.network !== '172.16.201.0/24');
    f.effectiveRoutes['vm-onprem-azure-nic'] = f.effectiveRoutes['vm-onprem-azure-nic']!.filter((r) => !(r.addressPrefix as string[]).includes('172.16.201.0/24'));
    const result = await verify(f, 'webapp-hybrid');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/learned-routes\s+vgw-onprem-sim\s+DIFFERS\s+172\.16\.201\.0\/24 \(lng-static\)\s+missing/);
    expect(result.stdout).toMatch(/effective-routes\s+vm-onprem-azure 172\.16\.201\.0\/24\s+DIFFERS\s+VirtualNetworkGateway\s+missing/);
    expect(result.stdout).toContain('2 of 13 checks differ from the prediction.');
  });

  it('Route Server without branch-to-branch: the gateways do not learn each other\'s branch', async () => {
    const f = fixture('branch-to-branch');
    for (const gw of ['vgw-hub', 'ergw-hub']) f.learnedRoutes[gw] = f.learnedRoutes[gw]!.filter((r) => r.origin !== 'IBgp');
    f.advertisedRoutes['vgw-hub 10.60.0.4'] = f.advertisedRoutes['vgw-hub 10.60.0.4']!.filter((r) => r.network !== '10.50.0.0/16');
    const result = await verify(f, 'branch-to-branch', 'json');
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
    const result = await verify(f, 'branch-to-branch', 'json');
    expect(differing(result.stdout)).toEqual([
      'learned-routes vgw-hub: expected not predicted, seen 10.99.0.0/16 (EBgp)',
      'connection hub-to-branch-rras: expected Connected, seen NotConnected',
      'next-hop vm-spoke-app → 10.60.1.10: expected VirtualNetworkGateway, seen None',
    ]);
  });

  it('what Azure refuses is a row naming its answer; when every read is refused, exit 3', async () => {
    const result = await verify({ refuse: { status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization.' } }, 'branch-to-branch');
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('Azure answered: 403 AuthorizationFailed');
  });
});

describe.skipIf(skipWithoutSamples('verify azure against a hostile or broken endpoint'))('hybridnet verify azure against a hostile, large or unreachable Azure', () => {
  afterEach(async () => {
    await arm?.close();
    arm = undefined;
  });

  it('without a sign-in it says so in one line and exits 3, instead of a row per read', async () => {
    arm = await startArmStandIn({ variants: network(fixture('branch-to-branch')) });
    const result = await cli(['verify', 'azure', 'examples/branch-to-branch/topology.yaml', '--subscription', SUBSCRIPTION], { env: azureEnvironment(arm, fakeAz({ signedIn: false })) });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^hybridnet: not signed in to Azure: run `az login`[^\n]*\n$/);
    expect(arm.requests.filter((r) => r.operationId !== 'Metadata_Endpoints')).toEqual([]);
  });

  it('line ends and control characters in an answer are spelled out, so it cannot print a line of ours', async () => {
    const f = fixture('branch-to-branch');
    f.learnedRoutes['vgw-hub']!.push({ network: '10.99.0.0/16\n\nAzure matches the prediction (8 checks).\u001b[2J', origin: 'EBgp' });
    f.connections['hub-to-branch-rras'] = 'Connected\nconnection  hub-to-branch-rras  MATCH';
    const result = await verify(f, 'branch-to-branch');
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout.split('\n').filter((l) => l.startsWith('Azure matches'))).toEqual([]);
    expect(result.stdout).toContain('10.99.0.0/16\\u000a\\u000aAzure matches the prediction (8 checks).\\u001b[2J (EBgp)');
    expect(result.stdout).toContain('Connected\\u000aconnection  hub-to-branch-rras  MATCH');
  });

  it('40,000 learned routes, one of them a 1 MB value, give a bounded table (each value cut at 300 characters, with its length)', async () => {
    const f = fixture('branch-to-branch');
    for (let i = 0; i < 40_000; i++) f.learnedRoutes['vgw-hub']!.push({ network: `10.${200 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, origin: 'EBgp' });
    f.learnedRoutes['vgw-hub']!.push({ network: 'x'.repeat(1 << 20), origin: 'EBgp' });
    const result = await verify(f, 'branch-to-branch');
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('learned-routes') && l.includes('DIFFERS'))).toHaveLength(40_001);
    // Before, every row was padded to the widest value: 40,000 lines of a megabyte each.
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(500);
    expect(result.stdout).toMatch(/x{300}… \(1,048,5\d\d characters\)/);
  }, 120_000);
});
