/**
 * The lab's plan, without running anything: every example plans without gaps, the same topology
 * gives the same plan, names fit Linux's limits, the lab's own addresses avoid the topology's,
 * RRAS sites and firewalls are configured from the generated artefacts, and Azure's route
 * selection and the policy mappings behave as Microsoft documents.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contains, parsePrefix, parseTopology, type IpsecPolicy, type Topology, type TopologyIndex } from '@hybridnet/model';
import { toRrasScripts } from '@hybridnet/gen-rras';
import { planLab, type EffectiveRoute } from '@hybridnet/lab';
import { topologyWithFailures } from '@hybridnet/validate';
import { azurePolicyOffers, effectiveRoutes, linuxRoutes, rrasOffers } from '../src/platform.ts';

const EXAMPLES = ['webapp-hybrid', 'branch-to-branch', 'webapp-regional'] as const;

function load(text: string, file = 'topology.yaml'): { topology: Topology; index: TopologyIndex } {
  const { topology, index, diagnostics } = parseTopology(text, file);
  if (!topology || !index) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return { topology, index };
}
const example = (name: (typeof EXAMPLES)[number]) => load(readFileSync(new URL(`../../../examples/${name}/topology.yaml`, import.meta.url), 'utf8'));

describe('the plan of each example', () => {
  it.each(EXAMPLES)('%s: no gaps, the same plan twice, names Linux takes, its own addresses apart from the topology', (name) => {
    const { topology, index } = example(name);
    const plan = planLab(topology, index);
    expect(plan.gaps).toEqual([]);
    expect(JSON.stringify(planLab(topology, index))).toBe(JSON.stringify(plan));
    expect(plan.lab).toMatch(/^hn[0-9a-f]{6}$/);
    for (const l of plan.links) for (const end of [l.a, l.b]) expect(end.ifname.length).toBeLessThanOrEqual(15);
    for (const n of plan.nodes) expect(`${plan.lab}-${n.id}`.length).toBeLessThanOrEqual(32);
    // The lab's link addresses (a /31 each) are in no prefix the topology names.
    const topologyPrefixes = topology.azure.vnets.flatMap((v) => v.addressSpace).concat(topology.sites.flatMap((s) => s.lan)).flatMap((t) => {
      const p = parsePrefix(t);
      return p.ok && p.value.version === 4 ? [p.value] : [];
    });
    for (const l of plan.links) {
      for (const a of [...l.a.addresses, ...l.b.addresses].filter((x) => x.endsWith('/31'))) {
        const p = parsePrefix(a.replace(/\/31$/, '/32'));
        expect(p.ok && topologyPrefixes.some((t) => contains(t, p.value))).toBe(false);
      }
    }
    expect(plan.flows.length).toBeGreaterThan(0);
  });

  it('keys never appear in a plan: a connection names its secret, made or read only when the lab comes up', () => {
    const { topology, index } = example('branch-to-branch');
    const plan = planLab(topology, index);
    expect(plan.secrets.map((s) => [s.id, s.env])).toEqual([['psk:hub-to-branch-rras', 'HUB_BRANCH_RRAS_PSK']]);
    expect(JSON.stringify(plan)).not.toMatch(/secret = /);
  });

  it('an RRAS site is what its generated script sets: one tunnel per instance, BGP peers with the weights of the example', () => {
    const { topology, index } = example('branch-to-branch');
    const plan = planLab(topology, index);
    const script = toRrasScripts(topology, index, { expectedSiteRoutes: new Map() }).scripts[0]!;
    const router = plan.nodes.find((n) => n.label === 'RRAS of site branch-rras')!;
    expect(script.bgp!.peers.map((p) => p.weight)).toEqual([200, 100]);
    expect(router.frr).toMatch(/router bgp 65060\n bgp router-id 10\.60\.0\.4/);
    expect(router.frr).toContain('neighbor 10.100.0.4 weight 200');
    expect(router.frr).toContain('neighbor 10.100.0.5 weight 100');
    expect(router.frr).toContain('network 10.60.0.0/16');
    expect(plan.nodes.filter((n) => n.role === 'tunnel')).toHaveLength(4);
  });

  it('a static RRAS site routes the prefixes of its script, with their metrics, into its tunnel', () => {
    const { topology, index } = example('webapp-hybrid');
    const plan = planLab(topology, index);
    const router = plan.nodes.find((n) => n.label === 'RRAS of site onprem-aws')!;
    expect(router.routes.filter((r) => r.metric !== undefined).map((r) => `${r.prefix} ${r.metric}`).sort()).toEqual(['10.10.0.0/16 100', '172.16.201.0/24 100']);
  });

  it("a firewall's nftables come from its generated REST payloads: the group with the point-to-site pool, HTTPS, Dynamic SNAT", () => {
    const { topology, index } = example('webapp-hybrid');
    const fw = planLab(topology, index).nodes.find((n) => n.role === 'firewall')!;
    expect(fw.nft).toMatch(/ip saddr \{ 10\.10\.0\.0\/16, 172\.16\.201\.0\/24 \} ip daddr \{ 203\.0\.113\.0\/24 \} tcp dport \{ 443 \} counter ct mark set 1 accept comment "AZURE-2-EXTERNAL-API"/);
    expect(fw.nft).toContain('policy drop;');
    expect(fw.nft).toContain('ct mark 1 masquerade');
  });

  it('an AWS site has the VPC route table its CloudFormation stack makes: Azure through the RRAS interface, the rest to the Internet gateway', () => {
    const { topology, index } = example('webapp-regional');
    const vpc = planLab(topology, index).nodes.find((n) => n.label === 'VPC of site branch-aws')!;
    expect(vpc.routes.map((r) => r.prefix).sort()).toEqual(['0.0.0.0/0', '10.30.0.0/16']);
    expect(vpc.routes.find((r) => r.prefix === '10.30.0.0/16')!.via).toEqual(['10.40.1.10']);
    expect(vpc.nft).toContain('snat ip to');
  });

  it('a host is placed where an intent names a place without a test endpoint, and on the Internet for a public target', () => {
    const { topology, index } = example('branch-to-branch');
    const flows = planLab(topology, index).flows;
    expect(flows.map((f) => `${f.intent} ${f.direction} ${f.from.label} ${f.to.label}:${f.to.port}`)).toEqual([
      'branch-to-branch forward a host in site branch-er vm-branch-rras:3389',
      'branch-to-branch reverse vm-branch-rras a host in site branch-er:22',
      'spoke-to-branches forward vm-spoke-app a host in site branch-er:22',
      'spoke-to-branches forward vm-spoke-app vm-branch-rras:3389',
    ]);
    const hybrid = example('webapp-hybrid');
    expect(planLab(hybrid.topology, hybrid.index).flows.find((f) => f.intent === 'app-to-partner-api')!.to).toMatchObject({ address: '203.0.113.1', port: 443 });
  });

  it('a topology the lab cannot run says why (a Route Server peer, an AWS VPN gateway)', () => {
    const raw = readFileSync(new URL('../../../examples/branch-to-branch/topology.yaml', import.meta.url), 'utf8').replace('branchToBranch: true', 'branchToBranch: true\n        peers: [{ name: nva, peerIp: 10.100.10.4, asn: 65010 }]');
    const { topology, index } = load(raw);
    expect(planLab(topology, index).gaps.map((g) => g.message)).toEqual(['Route Server "rs-hub" peers with appliances, which the lab does not run']);
  });
});

describe("Azure's route selection (platform.ts)", () => {
  const via = (a: string): EffectiveRoute['hop'] => ({ kind: 'via', addresses: [a], dev: 'b0' });
  const system: EffectiveRoute[] = [
    { prefix: '10.10.0.0/16', rank: 'system', hop: { kind: 'vnet' }, source: 'VNet' },
    { prefix: '0.0.0.0/0', rank: 'system', hop: { kind: 'internet' }, source: 'Azure' },
    { prefix: '10.0.0.0/8', rank: 'system', hop: { kind: 'none' }, source: 'Azure (RFC 1918)' },
  ];

  it('for one prefix a user-defined route wins, then ExpressRoute, then VPN, then system; instances of a gateway share the route', () => {
    const fixed: EffectiveRoute[] = [...system, { prefix: '10.60.0.0/16', rank: 'udr', hop: via('10.10.1.4'), source: 'route table rt' }];
    const taught: EffectiveRoute[] = [
      { prefix: '10.60.0.0/16', rank: 'gateway-vpn', hop: via('10.10.255.4'), source: 'gateway vgw' },
      { prefix: '10.50.0.0/16', rank: 'gateway-vpn', hop: via('10.10.255.4'), source: 'gateway vgw' },
      { prefix: '10.50.0.0/16', rank: 'gateway-er', hop: via('10.10.255.6'), source: 'gateway ergw' },
      { prefix: '10.70.0.0/16', rank: 'gateway-vpn', hop: via('10.10.255.5'), source: 'gateway vgw' },
      { prefix: '10.70.0.0/16', rank: 'gateway-vpn', hop: via('10.10.255.4'), source: 'gateway vgw' },
    ];
    const winners = Object.fromEntries(effectiveRoutes(fixed, taught, ['10.10.0.0/16']).map((r) => [r.prefix, `${r.rank} ${r.hop.kind === 'via' ? r.hop.addresses.join('+') : r.hop.kind}`]));
    expect(winners).toMatchObject({ '10.60.0.0/16': 'udr 10.10.1.4', '10.50.0.0/16': 'gateway-er 10.10.255.6', '10.70.0.0/16': 'gateway-vpn 10.10.255.4+10.10.255.5', '10.0.0.0/8': 'system none' });
  });

  it("a gateway route inside the VNet's own space never reaches its subnets, even when it is more specific", () => {
    const routes = effectiveRoutes(system, [{ prefix: '10.10.5.0/24', rank: 'gateway-vpn', hop: via('10.10.255.4'), source: 'gateway vgw' }], ['10.10.0.0/16']);
    expect(routes.map((r) => r.prefix)).not.toContain('10.10.5.0/24');
  });

  it('a route into the VNet is a throw (the delivery table decides), None a blackhole, the Internet the fabric\'s link', () => {
    expect(linuxRoutes(system, 1000, { via: '100.127.0.1', dev: 'e0' })).toEqual([
      { table: 1000, prefix: '10.10.0.0/16', type: 'throw' },
      { table: 1000, prefix: '0.0.0.0/0', via: ['100.127.0.1'], dev: 'e0', onlink: true },
      { table: 1000, prefix: '10.0.0.0/8', type: 'blackhole' },
    ]);
  });
});

describe('IPsec policies: what the RRAS script sets is what Azure applies', () => {
  const pick = <T extends string>(values: readonly T[]) => fc.constantFrom(...values);
  const policy = fc.record({
    ikeEncryption: pick(['DES3', 'AES128', 'AES192', 'AES256'] as const),
    ikeIntegrity: pick(['SHA1', 'SHA256', 'SHA384'] as const),
    dhGroup: pick(['DHGroup2', 'DHGroup14', 'DHGroup2048', 'ECP256', 'ECP384', 'DHGroup24'] as const),
    ipsecEncryption: pick(['DES3', 'AES128', 'AES192', 'AES256', 'GCMAES128', 'GCMAES192', 'GCMAES256'] as const),
    ipsecIntegrity: pick(['SHA1', 'SHA256', 'GCMAES128', 'GCMAES192', 'GCMAES256'] as const),
    pfsGroup: pick(['None', 'PFS2', 'PFS2048', 'PFS14', 'ECP256', 'ECP384', 'PFS24', 'PFSMM'] as const),
  });
  const base = readFileSync(new URL('../../../examples/webapp-hybrid/topology.yaml', import.meta.url), 'utf8');

  it('for any policy the two mappings (Azure names, RRAS names read from the script) give the same proposals', () => {
    fc.assert(
      fc.property(policy, (p) => {
        const text = base.replace(/ipsecPolicy:\n(?: {6}.*\n)+/, `ipsecPolicy: ${JSON.stringify({ ...p, saLifeTimeSeconds: 27000, saDataSizeKilobytes: 102400000 })}\n`);
        const { topology, index } = load(text);
        const tunnel = toRrasScripts(topology, index, { expectedSiteRoutes: new Map() }).scripts[0]!.tunnels[0]!;
        const site = rrasOffers(tunnel.policy);
        expect(site).toEqual(azurePolicyOffers({ ...p, saLifeTimeSeconds: 27000, saDataSizeKilobytes: 102400000 } as IpsecPolicy));
      }),
      { numRuns: 60 },
    );
  });
});

describe('a failure as a topology (what the simulation answers while lab fail holds an element down)', () => {
  it('a tunnel, an instance, a connection, a circuit', () => {
    const { topology, index } = example('branch-to-branch');
    const tunnels = (t: Topology) => t.connections.flatMap((c) => (c.type === 'site-to-site' ? (c.tunnels ?? []).map((x) => `${c.name}/${x.instance}`) : [c.name]));
    expect(tunnels(topologyWithFailures(topology, index, ['tunnel:hub-to-branch-rras/0']).topology)).toEqual(['hub-to-branch-er', 'hub-to-branch-rras/1']);
    expect(tunnels(topologyWithFailures(topology, index, ['instance:vgw-hub/1']).topology)).toEqual(['hub-to-branch-er', 'hub-to-branch-rras/0']);
    expect(tunnels(topologyWithFailures(topology, index, ['connection:hub-to-branch-rras']).topology)).toEqual(['hub-to-branch-er']);
    expect(tunnels(topologyWithFailures(topology, index, ['circuit:hub-to-branch-er']).topology)).toEqual(['hub-to-branch-rras/0', 'hub-to-branch-rras/1']);
    expect(planLab(topology, index).elements.map((e) => e.name).sort()).toEqual(['circuit:hub-to-branch-er', 'connection:hub-to-branch-rras', 'instance:vgw-hub/0', 'instance:vgw-hub/1', 'tunnel:hub-to-branch-rras/0', 'tunnel:hub-to-branch-rras/1']);
  });
});
