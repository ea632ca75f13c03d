/**
 * Intents answered by the data plane: every kind holds and fails on purpose, the routing warnings
 * become errors only when an intent needs their path, and a property test holds the verdicts to a
 * brute-force walk of every address with a linear scan of the same tables.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTopology } from '@hybridnet/model';
import { evaluateIntents, lookupLinear, simulateRoutes, traceLine, validateTopology } from '@hybridnet/validate';
import { example, load, validate, withoutGroups, type Raw } from './helpers.ts';


const verdicts = (raw: Raw) => {
  const { topology, index } = load(raw);
  return Object.fromEntries(evaluateIntents(topology, index).map((r) => [r.intent.name, r.flows.map((f) => f.verdict)]));
};

describe('intents of the bundled examples', () => {
  it.each(['webapp-hybrid', 'webapp-regional', 'branch-to-branch'] as const)('%s: every intent holds, with its path', (name) => {
    const { topology, index } = load(example(name));
    const results = evaluateIntents(topology, index);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.holds, `${r.intent.name}: ${r.flows.map((f) => `${f.why}: ${traceLine(f.request)}`).join('\n')}`).toBe(true);
      // An isolate intent's request never arrives, so there is no reply.
      if (r.intent.kind !== 'isolate') expect(r.flows.every((f) => f.reply?.delivered)).toBe(true);
    }
  });

  // Any address of a piece gives the verdict; the one shown must be one a host could have.
  it.each(['webapp-hybrid', 'webapp-regional', 'branch-to-branch'] as const)('%s: the flows shown start and end at host addresses, never at a range\'s network address', (name) => {
    const { topology, index } = load(example(name));
    const shown = evaluateIntents(topology, index).flatMap((r) => r.flows.flatMap((f) => [f.source, f.destination]));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((a) => a.endsWith('.0'))).toEqual([]);
    // A subnet as a source: the first address Azure gives a VM in it.
    expect(shown).toContain({ 'webapp-hybrid': '10.10.2.4', 'webapp-regional': '10.30.3.4', 'branch-to-branch': '10.50.0.4' }[name]);
  });

  it('the web app reaches the partner API through the firewall, which translates its source, and the reply comes back to the point-to-site pool', () => {
    const { topology, index } = load(example('webapp-hybrid'));
    const flow = evaluateIntents(topology, index).find((r) => r.intent.name === 'app-to-partner-api')!.flows[0]!;
    expect(flow.request.hops.map((h) => h.node)).toEqual(['app app-webapp-hybrid', 'gateway vgw-webapp', 'firewall fw-webapp', 'Internet']);
    expect(flow.request.egressFirewall).toBe('fw-webapp');
    expect(flow.reply!.hops.map((h) => h.node)).toEqual(['firewall fw-webapp', 'gateway vgw-webapp', 'point-to-site clients of vgw-webapp']);
  });
});

describe('each kind fails on purpose', () => {
  it('reach: the site does not route the point-to-site pool back, so the reply is dropped at the site', () => {
    const t = example('webapp-hybrid');
    t.connections[0].azureAddressSpace = ['10.10.0.0/16'];
    const d = validate(t).filter((x) => x.code === 'hybridnet/validate/intent/unreachable');
    // Also the security group generated for the site's test machine no longer lets the pool in: a second finding.
    expect(d).toHaveLength(2);
    expect(d[1]!.message).toContain('the security group of ec2-onprem-aws (generated for site onprem-aws\'s AWS stack) lets in only 10.20.0.0/16, 10.10.0.0/16');
    expect(d[0]!.path).toEqual(['intents', 0, 'to', 0]);
    // The VPC's route table sends what it has no route for to its Internet gateway (the stack's default route).
    expect(d[0]!.message).toContain("the reply is dropped at site onprem-aws: the VPC's route table sends 172.16.201.4, a private address, to its Internet gateway, where it is dropped");
    expect(d[0]!.message).toContain('path: app app-webapp-hybrid [10.20.0.0/16 → VirtualNetworkGateway (point-to-site)');
  });

  it("a site in AWS reaches the Internet through its VPC's Internet gateway; a site of its own premises has no such route in the model", () => {
    const t = example('webapp-hybrid');
    t.intents = [{ name: 'aws-out', kind: 'reach', from: 'onprem-aws', to: ['198.51.100.10'] }];
    expect(validate(t).filter((x) => x.code.startsWith('hybridnet/validate/intent/'))).toEqual([]);
    const b = example('branch-to-branch');
    b.intents = [{ name: 'branch-out', kind: 'reach', from: 'branch-rras', to: ['198.51.100.10'] }];
    const d = validate(b).filter((x) => x.code === 'hybridnet/validate/intent/unreachable');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('it is dropped at site branch-rras: no route toward 198.51.100.10');
  });

  it('symmetric: ExpressRoute carries the request, the branch router\'s static backup route over VPN (preferred to BGP) the reply', () => {
    const t = example('branch-to-branch');
    t.sites[0].device.publicIp = '203.0.113.50';
    t.connections.push({ name: 'hub-to-branch-er-vpn', type: 'site-to-site', gateway: 'vgw-hub', site: 'branch-er', sharedKey: { env: 'ER_BACKUP_PSK' }, bgp: true, azureAddressSpace: ['10.100.0.0/16', '10.101.0.0/16'] });
    t.intents.push({ name: 'spoke-to-er-branch', kind: 'symmetric', from: 'vm-spoke-app', to: ['branch-er'] });
    expect(new Set(verdicts(t)['spoke-to-er-branch'])).toEqual(new Set(['asymmetric']));
    const d = validate(t).find((x) => x.code === 'hybridnet/validate/intent/asymmetric' && x.message.startsWith('intent "spoke-to-er-branch"'))!;
    expect(d.message).toContain('the request crosses gateway ergw-hub, the reply gateway vgw-hub');
    // The same traffic as plain reach holds: no firewall on either path.
    t.intents.at(-1).kind = 'reach';
    expect(new Set(verdicts(t)['spoke-to-er-branch'])).toEqual(new Set(['holds']));
  });

  it('isolate holds while nothing routes between the two, and fails with the path once something does', () => {
    const t = example('webapp-hybrid');
    t.intents.push({ name: 'sites-apart', kind: 'isolate', from: 'vm-onprem-azure', to: ['10.20.1.30'] }, { name: 'sites-apart-machine', kind: 'isolate', from: 'vm-onprem-azure', to: ['ec2-onprem-aws'] });
    expect(verdicts(t)['sites-apart']).toEqual(['holds']);
    t.connections[1].azureAddressSpace = ['10.10.0.0/16', '172.16.201.0/24', '10.20.0.0/16'];
    expect(verdicts(t)['sites-apart']).toEqual(['reachable']);
    expect(validate(t).find((x) => x.code === 'hybridnet/validate/intent/reachable')!.message).toContain('gateway vgw-onprem-sim');
    // The AWS site's test machine stays apart: the security group generated for it lets in only its VPC and what the site's own tunnels carry.
    const { topology, index } = load(t);
    const machine = evaluateIntents(topology, index).find((r) => r.intent.name === 'sites-apart-machine')!;
    expect(machine.holds).toBe(true);
    expect(machine.flows[0]!.why).toBe("it is dropped at site onprem-aws: the security group of ec2-onprem-aws (generated for site onprem-aws's AWS stack) lets in only 10.20.0.0/16, 10.10.0.0/16, 172.16.201.0/24 (the site's VPC and the Azure prefixes its tunnels carry), not 192.168.1.10");
  });

  it('a firewall that passes nothing drops the request, and says which firewall', () => {
    const t = example('webapp-regional');
    t.azure.firewalls[0].rules[0].action = 'block';
    const d = validate(t).filter((x) => x.code === 'hybridnet/validate/intent/unreachable');
    expect(d.map((x) => x.path.join('.'))).toEqual(['intents.1', 'intents.2']);
    expect(d[0]!.message).toContain('rule "AZURE-2-EXTERNAL-API" of firewall "fw-webapp-regional" blocks');
  });

  it('a peering that refuses forwarded traffic drops what a hub firewall forwards into the spoke with its original source, not what gateway transit brings', () => {
    const t = example('branch-to-branch');
    t.azure.peerings[0].allowForwardedTraffic = false;
    expect(new Set(verdicts(t)['spoke-to-branches'])).toEqual(new Set(['holds'])); // gateway transit
    t.azure.vnets[0].subnets.find((s: Raw) => s.name === 'GatewaySubnet').routeTable = 'rt-gateway';
    t.azure.routeTables = [{ name: 'rt-gateway', routes: [{ name: 'spoke-via-fw', prefix: '10.101.0.0/16', nextHop: { virtualAppliance: 'fw-hub' } }] }];
    t.azure.firewalls = [{ name: 'fw-hub', vendor: 'barracuda-cloudgen', vnet: 'vnet-hub', subnet: 'shared-services', privateIp: '10.100.10.4', adminPassword: { env: 'FW_PASSWORD' }, rules: [{ name: 'ANY', source: ['Any'], destination: ['Any'], connection: 'original-source-ip' }] }];
    t.intents.push({ name: 'branch-to-spoke', kind: 'reach', from: 'vm-branch-rras', to: ['vm-spoke-app'] });
    const { topology, index } = load(t);
    const flow = evaluateIntents(topology, index).find((r) => r.intent.name === 'branch-to-spoke')!.flows[0]!;
    expect(flow.verdict).toBe('dropped');
    expect(flow.why).toBe('it is dropped at firewall fw-hub: peering "hub-spoke-app" does not allow forwarded traffic, and 10.60.1.10 is not vnet-hub\'s own address');
    t.azure.peerings[0].allowForwardedTraffic = true;
    expect(verdicts(t)['branch-to-spoke']).not.toContain('dropped');
  });

  it('an endpoint nothing holds cannot be a source, and families must match', () => {
    const t = example('webapp-hybrid');
    t.intents.push({ name: 'from-nowhere', kind: 'reach', from: '100.64.0.0/24', to: ['vm-backend'] }, { name: 'v6', kind: 'reach', from: 'vm-backend', to: ['2001:db8::/64'] });
    const d = validate(t).filter((x) => x.code === 'hybridnet/validate/intent/endpoint');
    expect(d.map((x) => x.path.join('.'))).toEqual(['intents.5.from', 'intents.6.to.0']);
  });

  it('a prefix with host bits set says which network to write, not to declare an object', () => {
    const t = example('webapp-hybrid');
    t.intents.push({ name: 'host-bits', kind: 'reach', from: 'vm-backend', to: ['10.101.0.0/15'] });
    const loaded = parseTopology(stringify(t), 'case.yaml');
    expect(loaded.diagnostics.map((d) => `${d.code} ${d.path.join('.')} ${d.hint}`)).toEqual(['hybridnet/model/unknown-reference intents.5.to.0 the network is 10.100.0.0/15; write 10.100.0.0/15, or use /32 for a single host']);
  });

  it('names are checked when the topology is linked, with the nearest name', () => {
    const t = example('webapp-hybrid');
    t.intents.push({ name: 'typo', kind: 'reach', from: 'vm-backnd', to: ['vnet-webapp/backend', 'fw-webapp/EXTERNAL-API', '10.20.1.20'], via: 'vgw-webapp' });
    const loaded = parseTopology(stringify(t), 'case.yaml');
    expect(loaded.diagnostics.map((d) => `${d.code} ${d.path.join('.')} ${d.hint}`)).toEqual([
      'hybridnet/model/unknown-reference intents.5.from did you mean "vm-backend"?',
      expect.stringMatching(/^hybridnet\/model\/unknown-reference intents\.5\.via /),
    ]);
  });
});

describe('the flow budget', () => {
  /** The web-app example with 600 small subnets in its VNet: from the VNet to itself is over 600 × 600 pieces. */
  function crowded(): Raw {
    const t = example('webapp-hybrid');
    const vnet = t.azure.vnets[0];
    for (let i = 0; i < 600; i++) vnet.subnets.push({ name: `tiny-${i}`, prefix: `10.10.${16 + (i >> 4)}.${(i & 15) * 16}/28` });
    return t;
  }

  it('a target past the budget is reported with its flow count; the targets and intents after it are still answered', () => {
    const t = crowded();
    t.intents.push({ name: 'everything', kind: 'reach', from: 'vnet-webapp', to: ['vnet-webapp', 'vnet-webapp/backend'] }, { name: 'small', kind: 'reach', from: 'vnet-webapp/backend', to: ['vnet-webapp/frontend'] });
    const { topology, index } = load(t);
    const results = evaluateIntents(topology, index);
    const everything = results.find((r) => r.intent.name === 'everything')!;
    expect(everything.problems.map((p) => [p.code, p.path.join('.')])).toEqual([['too-large', 'intents.5.to.0']]);
    expect(everything.problems[0]!.message).toMatch(/is [\d,]+ flows \(source and destination cut where the routing differs\), more than the 250,000 flows hybridnet walks for one topology, [\d,]+ of them left after the intents before it; it is not answered$/);
    expect(new Set(everything.flows.map((f) => f.target))).toEqual(new Set(['vnet-webapp/backend']));
    expect(everything.walked).toBeGreaterThan(300);
    expect(results.find((r) => r.intent.name === 'small')!.walked).toBeGreaterThan(0);
    const d = validate(t).filter((x) => x.code === 'hybridnet/validate/intent/too-large');
    expect(d.map((x) => x.path.join('.'))).toEqual(['intents.5.to.0']);
  });

  it('what is left after the intents before is what counts, and a question asked again costs nothing', () => {
    const t = crowded();
    const wide = { name: 'wide', kind: 'reach', from: 'vnet-webapp', to: ['vnet-webapp/backend'] };
    t.intents.push(wide, { ...wide, name: 'wide-again' }, { ...wide, name: 'wide-symmetric', kind: 'symmetric' });
    const { topology, index } = load(t);
    const first = evaluateIntents(topology, index).find((r) => r.intent.name === 'wide')!.walked;
    // Room for the examples' own intents and the first wide one, not for a second different question.
    const budget = first + 400;
    const results = evaluateIntents(topology, index, { budget });
    const byName = Object.fromEntries(results.map((r) => [r.intent.name, r]));
    expect(byName.wide!.problems).toEqual([]);
    expect(byName['wide-again']!.problems).toEqual([]);
    expect(byName['wide-again']!.walked).toBe(first);
    expect(byName['wide-symmetric']!.problems.map((p) => p.code)).toEqual(['too-large']);
    expect(byName['wide-symmetric']!.problems[0]!.message).toMatch(/of them left after the intents before it/);
  });
});

describe('routing warnings an intent needs', () => {
  it('ExpressRoute and VPN branches without Route Server: a warning alone, an error when an intent needs the path', () => {
    const t = example('branch-to-branch');
    t.azure.vnets[0].routeServer.branchToBranch = false;
    const withIntent = validate(t);
    const transit = withIntent.find((d) => d.code === 'hybridnet/validate/routing/er-vpn-transit-needs-route-server')!;
    expect(transit.severity).toBe('error');
    expect(transit.message).toContain('(intent "branch-to-branch" needs this path)');
    expect(withIntent.find((d) => d.code === 'hybridnet/validate/intent/unreachable')!.message.replace('but the reply', 'but (the ExpressRoute gateway learns the VPN branch one way) the reply')).toContain('(the ExpressRoute gateway learns the VPN branch one way) the reply is dropped at site branch-rras: no route toward 10.50.0.4');
    delete t.intents;
    expect(validate(t).find((d) => d.code === 'hybridnet/validate/routing/er-vpn-transit-needs-route-server')!.severity).toBe('warning');
  });

  it('a site without a route back to the point-to-site pool: an error when an intent needs it, a warning when no intent does', () => {
    const t = example('webapp-hybrid');
    t.connections[0].azureAddressSpace = ['10.10.0.0/16'];
    const needed = validate(t).find((d) => d.code === 'hybridnet/validate/routing/p2s-return-path')!;
    expect([needed.severity, needed.message]).toEqual(['error', expect.stringContaining('(intent "app-to-sites" needs this path)')]);
    t.intents = t.intents.filter((i: Raw) => i.name !== 'app-to-sites');
    const chosen = validate(t).find((d) => d.code === 'hybridnet/validate/routing/p2s-return-path')!;
    expect([chosen.severity, chosen.message]).toEqual(['warning', expect.stringContaining('(no intent needs this path)')]);
  });

  it('a route to a firewall without a pass rule: an error when an intent is dropped at that firewall', () => {
    const t = example('webapp-hybrid');
    t.azure.firewalls[0].rules = t.azure.firewalls[0].rules.filter((r: Raw) => r.name !== 'AZURE-2-EXTERNAL-API');
    const d = validate(t).find((x) => x.code === 'hybridnet/validate/routing/firewall-rule-missing')!;
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/intent "(app|backend)-to-partner-api" needs this path/);
  });
});

/**
 * Random small topologies (two VNets, a firewall with random rules, random route tables on random
 * subnets, two static sites with random address spaces toward Azure) and random intents: the
 * verdict from one packet per piece with hashed longest-prefix match equals the verdict from
 * every address with a linear scan.
 */
describe('property: the verdicts equal a brute-force walk of every address', () => {
  const PREFIXES = ['10.1.0.0/27', '10.2.0.0/27', '10.0.0.32/27', '10.0.0.40/29', '10.0.1.0/26', '0.0.0.0/0', '203.0.113.0/28', '10.0.0.0/8', '10.1.0.16/28', '10.0.0.0/24'];
  const ENDPOINTS = ['vnet-a/s1', 'vnet-a/s2', 'vnet-b/s', 'site-1', 'site-2', '10.0.0.40/29', '10.1.0.16/28', '203.0.113.0/28'];
  const topology = fc.record({
    rules: fc.array(fc.record({ source: fc.constantFrom(...PREFIXES, 'Any'), destination: fc.constantFrom(...PREFIXES, 'Any', 'Internet'), action: fc.constantFrom('pass', 'block'), nat: fc.boolean() }), { maxLength: 3 }),
    routes: fc.array(fc.record({ prefix: fc.constantFrom(...PREFIXES), hop: fc.constantFrom<Raw | string>({ virtualAppliance: 'fw' }, 'None', 'VirtualNetworkGateway', 'Internet', 'VnetLocal'), table: fc.constantFrom(0, 1) }), { maxLength: 5 }),
    tables: fc.array(fc.constantFrom(-1, 0, 1), { minLength: 5, maxLength: 5 }),
    propagate: fc.boolean(),
    spaces: fc.array(fc.option(fc.subarray(['10.0.0.0/24', '10.0.1.0/26', '10.0.0.32/27', '10.2.0.0/27', '10.1.0.0/27'], { minLength: 1 }), { freq: 2, nil: undefined }), { minLength: 2, maxLength: 2 }),
    transit: fc.boolean(),
    forwarded: fc.boolean(),
    nat: fc.boolean(),
    intents: fc.array(fc.record({ kind: fc.constantFrom('reach', 'symmetric', 'isolate'), from: fc.constantFrom(...ENDPOINTS), to: fc.constantFrom(...ENDPOINTS), via: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  });

  const build = (r: typeof topology extends fc.Arbitrary<infer T> ? T : never): Raw => {
    const table = (i: number) => (r.tables[i]! >= 0 ? { routeTable: `rt-${r.tables[i]}` } : {});
    const routes = (t: number) => r.routes.flatMap((x, i) => (x.table === t ? [{ name: `r${i}`, prefix: x.prefix, nextHop: x.hop }] : []));
    return {
      hybridnet: 1,
      name: 'prop',
      azure: {
        location: 'westeurope',
        resourceGroups: { network: 'rg' },
        vnets: [
          {
            name: 'vnet-a',
            addressSpace: ['10.0.0.0/24'],
            subnets: [
              { name: 'fw', prefix: '10.0.0.0/27', ...table(0), ...(r.nat ? { natGateway: 'nat-fw' } : {}) },
              { name: 's1', prefix: '10.0.0.32/27', ...table(1) },
              { name: 's2', prefix: '10.0.0.64/27', ...table(2), ...(r.nat ? {} : { natGateway: 'nat-s2' }) },
              { name: 'GatewaySubnet', prefix: '10.0.0.224/27', ...table(3) },
            ],
            vpnGateway: { name: 'vgw', sku: 'VpnGw1AZ' },
          },
          { name: 'vnet-b', addressSpace: ['10.0.1.0/26'], subnets: [{ name: 's', prefix: '10.0.1.0/27', ...table(4) }] },
        ],
        peerings: [{ name: 'a-b', vnets: ['vnet-a', 'vnet-b'], allowForwardedTraffic: r.forwarded, ...(r.transit ? { gatewayTransitFrom: 'vnet-a' } : {}) }],
        routeTables: [0, 1].map((t) => ({ name: `rt-${t}`, propagateGatewayRoutes: t === 0 || r.propagate, routes: routes(t) })),
        firewalls: [{ name: 'fw', vendor: 'barracuda-cloudgen', vnet: 'vnet-a', subnet: 'fw', privateIp: '10.0.0.4', adminPassword: { env: 'FW' }, rules: r.rules.map((x, i) => ({ name: `rule${i}`, source: [x.source], destination: [x.destination], action: x.action, connection: x.nat ? 'dynamic-nat' : 'original-source-ip' })) }],
      },
      sites: [1, 2].map((n) => ({ name: `site-${n}`, lan: [`10.${n}.0.0/27`], device: { type: 'rras', publicIp: `198.51.100.${n}`, privateIp: `10.${n}.0.4` } })),
      connections: [1, 2].map((n) => ({ name: `to-site-${n}`, type: 'site-to-site', gateway: 'vgw', site: `site-${n}`, sharedKey: { env: 'PSK' }, ...(r.spaces[n - 1] ? { azureAddressSpace: r.spaces[n - 1] } : {}) })),
      intents: r.intents.map((x, i) => ({ name: `i${i}`, kind: x.kind, from: x.from, to: [x.to], ...(x.via && x.kind !== 'isolate' ? { via: 'fw' } : {}) })),
    };
  };

  it('on random topologies', () => {
    let failing = 0;
    let holding = 0;
    fc.assert(
      fc.property(topology, (r) => {
        const { topology: t, index } = load(build(r));
        const fast = evaluateIntents(t, index);
        const brute = evaluateIntents(t, index, { lookup: lookupLinear, exhaustive: true });
        fast.forEach((f, i) => {
          const b = brute[i]!;
          const what = `intent ${f.intent.kind} ${f.intent.from} → ${f.intent.to[0]}`;
          expect(f.holds, what).toBe(b.holds);
          // Each piece answers for all its addresses: the failing address pairs are the same count.
          expect([f.addressPairs, f.failedPairs], what).toEqual([b.addressPairs, b.failedPairs]);
          expect(f.problems).toEqual(b.problems);
          if (f.holds) holding++;
          else failing++;
        });
      }),
      { numRuns: 150, seed: 1510 },
    );
    // The random cases are not all trivially true (or all false).
    expect([failing > 20, holding > 20]).toEqual([true, true]);
  });

  it('validation of the same topologies never throws', () => {
    fc.assert(
      fc.property(topology, (r) => {
        const { topology: t, index } = load(build(r));
        expect(Array.isArray(validateTopology(t, index))).toBe(true);
      }),
      { numRuns: 40, seed: 1511 },
    );
  });
});

/** Azure's default routes with next hop None (model: data/azure-system-routes.ts, from "Virtual network traffic routing"). */
describe("Azure's reserved ranges: next hop None", () => {
  const subnetRoutes = (raw: Raw, name: string) => {
    const { topology, index } = load(raw);
    return simulateRoutes(topology, index).sets.find((s) => s.kind === 'subnet' && s.name === name)!.routes;
  };

  it('every subnet has the four, and a flow toward a private range nothing else routes is dropped by the None route, not sent to the Internet', () => {
    // Without the backend's security group, which would drop it first (10.99.0.10 is neither VirtualNetwork nor Internet).
    const t = withoutGroups(example('webapp-hybrid'));
    const routes = subnetRoutes(t, 'vnet-webapp/backend');
    expect(routes.filter((r) => r.nextHop === 'None').map((r) => [r.prefix, r.source])).toEqual([
      ['10.0.0.0/8', 'Azure (RFC 1918)'],
      ['172.16.0.0/12', 'Azure (RFC 1918)'],
      ['192.168.0.0/16', 'Azure (RFC 1918)'],
      ['100.64.0.0/10', 'Azure (RFC 6598)'],
    ]);
    t.intents.push({ name: 'nowhere', kind: 'reach', from: 'vm-backend', to: ['10.99.0.10'] });
    const d = validate(t).find((x) => x.code === 'hybridnet/validate/intent/unreachable' && x.path[1] === 5)!;
    expect(d.message).toContain("Azure's default route 10.0.0.0/8 (Azure (RFC 1918)) has next hop None");
  });

  it('a VNet whose space is a reserved range exactly has its Virtual network route there instead; one that contains a reserved range has none; one inside a reserved range keeps it', () => {
    const t = example('webapp-hybrid');
    t.azure.vnets[0].addressSpace = ['10.0.0.0/8'];
    expect(subnetRoutes(t, 'vnet-webapp/backend').filter((r) => r.prefix === '10.0.0.0/8').map((r) => r.nextHop)).toEqual(['VnetLocal']);
    const u = example('webapp-hybrid');
    u.azure.vnets[1].addressSpace = ['192.168.0.0/15'];
    expect(subnetRoutes(u, 'vnet-onprem-sim/workload').some((r) => r.prefix === '192.168.0.0/16')).toBe(false);
    // vnet-onprem-sim is 192.168.0.0/16 exactly; vnet-webapp's 10.10.0.0/16 lies inside 10.0.0.0/8, which stays None.
    expect(subnetRoutes(example('webapp-hybrid'), 'vnet-onprem-sim/workload').filter((r) => r.prefix === '192.168.0.0/16').map((r) => r.nextHop)).toEqual(['VnetLocal']);
    expect(subnetRoutes(example('webapp-hybrid'), 'vnet-webapp/backend').filter((r) => r.prefix.startsWith('10.')).map((r) => `${r.prefix} ${r.nextHop}`)).toEqual(['10.20.0.0/16 VirtualNetworkGateway (vgw-webapp)', '10.10.0.0/16 VnetLocal', '10.0.0.0/8 None']);
  });

  it('a gateway route or a route table route over the same range wins over the None route', () => {
    const t = example('webapp-hybrid');
    t.azure.routeTables[0].routes.push({ name: 'all-private-via-fw', prefix: '10.0.0.0/8', nextHop: { virtualAppliance: 'fw-webapp' } });
    const tenSlashEight = subnetRoutes(t, 'vnet-webapp/backend').filter((r) => r.prefix === '10.0.0.0/8');
    expect(tenSlashEight.map((r) => [r.nextHop, r.active])).toEqual([['VirtualAppliance 10.10.1.4 (fw-webapp)', true], ['None', false]]);
  });
});
