/**
 * `hybridnet import azure`, run as users run it (the bundle, as a process, signed in through the
 * Azure CLI) against the local Resource Manager (tools/test-support/arm-stand-in.ts) holding an
 * estate: what deploying a topology's generated template leaves in Azure, each resource as a GET
 * returns it (tools/test-support/arm-materialise.ts), or Microsoft's own sample responses.
 *
 * The round trip: a topology → its template → the resources Azure would hold → import → add what
 * Azure does not hold, as the user would (the intents and test machines, each site's device and,
 * where the import marks it, the ranges a BGP or ExpressRoute site advertises, the appliance's
 * rules, tunnel weights) → the imported topology must simulate the same routes at every node and
 * give every intent the same verdict as the original. Every request is a GET; no secret value
 * reaches the output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTopology, linkTopology, parseTopology, type Topology } from '@hybridnet/model';
import { toArmTemplate } from '@hybridnet/gen-bicep';
import { evaluateIntents, simulateRoutes } from '@hybridnet/validate';
import { estateStandIn, type AzureResource } from '../../../tools/test-support/arm-materialise.ts';
import { REFERENCE, skipWithoutSamples, startArmStandIn, type ArmStandIn, type StandInOptions } from '../../../tools/test-support/arm-stand-in.ts';
import { azureEnvironment, fakeAz, TEST_SUBSCRIPTION } from '../../../tools/test-support/azure-session.ts';
import { propertyRuns, shape, topologyText } from '../../../tools/test-support/random-topology.ts';
import { fixture, network } from '../../../tools/test-support/azure-network.ts';
import { cli, tempDir } from './helpers.ts';

const EXAMPLES = ['branch-to-branch', 'webapp-hybrid', 'webapp-regional'];
const exampleText = (name: string) => readFileSync(new URL(`../../../examples/${name}/topology.yaml`, import.meta.url), 'utf8');

function load(text: string, file = 'topology.yaml'): Topology {
  const loaded = parseTopology(text, file);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.topology || errors.length > 0) throw new Error(`${file} does not load:\n${errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}\n${text}`);
  return loaded.topology;
}

let standIns: ArmStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.map((s) => s.close()));
  standIns = [];
});

/** The stand-in holding what deploying the topology would leave, and the resources it holds. */
async function deployed(original: Topology, options: Omit<StandInOptions, 'existing' | 'listHeld'> & { change?: (held: Map<string, AzureResource>) => void } = {}) {
  const { template } = toArmTemplate(original, linkTopology(original).index);
  const { standIn, resources } = await estateStandIn(template, { ...options, subscription: TEST_SUBSCRIPTION, resourceGroup: original.azure.resourceGroups.network, location: original.azure.location });
  standIns.push(standIn);
  return { standIn, resources };
}

async function importFrom(standIn: ArmStandIn, args: string[] = []) {
  const az = fakeAz();
  return cli(['import', 'azure', '--subscription', TEST_SUBSCRIPTION, ...args], { env: azureEnvironment(standIn, az) });
}

/**
 * What the user adds to an imported topology, taken from the original: its intents and test
 * machines, each site's device and hosting, the ranges of a site the import marked (Azure holds
 * only its BGP router's address), tunnel weights, the appliances' rules. Imported sites are named
 * after Azure's local network gateways; they take the original's names back first (by connection).
 */
function withUserAdditions(imported: Topology, original: Topology): Topology {
  const t = structuredClone(imported);
  const rename = new Map<string, string>();
  for (const c of original.connections) {
    const mine = t.connections.find((x) => x.name === c.name);
    if (mine && 'site' in mine && 'site' in c) rename.set(mine.site, c.site);
  }
  for (const s of t.sites) s.name = rename.get(s.name) ?? s.name;
  for (const c of t.connections) if ('site' in c) c.site = rename.get(c.site) ?? c.site;
  for (const s of t.sites) {
    const o = original.sites.find((x) => x.name === s.name);
    if (!o) continue;
    if (s.device.type !== 'azure-vpn-gateway') {
      s.device = o.device;
      s.hosting = o.hosting;
    }
    const marked = s.bgp && s.lan.length === 1 && s.lan[0] === `${s.bgp.peerIp}/32`;
    if (marked) {
      s.lan = o.lan;
      s.bgp!.advertise = o.bgp!.advertise;
      s.bgp!.peerIp = o.bgp!.peerIp;
    }
    if (o.description) s.description = o.description;
  }
  // An ExpressRoute circuit outside the estate: the site and its connection as the user knows them.
  for (const c of original.connections) {
    if (c.type !== 'expressroute' || t.connections.some((x) => x.name === c.name)) continue;
    t.connections.push(c);
    if (!t.sites.some((s) => s.name === c.site)) t.sites.push(original.sites.find((s) => s.name === c.site)!);
  }
  for (const c of t.connections) {
    const o = original.connections.find((x) => x.name === c.name);
    if (c.type === 'site-to-site' && o?.type === 'site-to-site' && o.tunnels) c.tunnels = o.tunnels.map((tunnel) => ({ ...tunnel, ...(c.tunnels?.find((x) => x.instance === tunnel.instance)?.apipa ? { apipa: c.tunnels.find((x) => x.instance === tunnel.instance)!.apipa } : {}) }));
  }
  for (const fw of t.azure.firewalls) {
    const o = original.azure.firewalls.find((x) => x.name === fw.name)!;
    fw.rules = o.rules;
    fw.addressGroups = o.addressGroups;
  }
  t.testEndpoints = original.testEndpoints;
  if (original.azure.resourceGroups.test) t.azure.resourceGroups.test = original.azure.resourceGroups.test;
  t.intents = original.intents;
  return t;
}

/** Every node's routes, and every intent's verdict and reason, in a form two topologies compare in. */
function behaviour(t: Topology) {
  const { index } = linkTopology(t);
  const simulation = simulateRoutes(t, index);
  const routes = Object.fromEntries([...simulation.byName].sort(([a], [b]) => (a < b ? -1 : 1)).map(([node, set]) => [node, set.routes.map((r) => `${r.prefix} via ${r.nextHop} (${r.origin}${r.active === false ? ', inactive' : ''})`).sort()]));
  const intents = Object.fromEntries(evaluateIntents(t, index).map((r) => [r.intent.name, { holds: r.holds, walked: r.walked, failed: r.failed }]));
  return { routes, intents };
}

describe.skipIf(skipWithoutSamples('import azure'))('hybridnet import azure', () => {
  for (const name of EXAMPLES) {
    it(`${name}: the imported topology loads, is canonical, and with what the user adds simulates the same routes and verdicts`, async () => {
      const original = load(exampleText(name), `${name}.yaml`);
      const { standIn } = await deployed(original);
      const result = await importFrom(standIn);
      expect(result.stderr).toContain('imported');
      expect(result.code, result.stderr).toBe(0);
      expect(standIn.requests.every((r) => r.method === 'GET'), standIn.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`).join('\n')).toBe(true);
      expect(standIn.unmatched).toEqual([]);
      const text = result.stdout;
      const formatted = formatTopology(text);
      expect(formatted.ok && formatted.text === text).toBe(true);
      const imported = load(text, `imported-${name}.yaml`);
      // Each element carries its resource id.
      for (const vnet of imported.azure.vnets) expect(text).toContain(`/providers/Microsoft.Network/virtualNetworks/${vnet.name}\n`);
      expect(behaviour(withUserAdditions(imported, original))).toEqual(behaviour(original));
    });
  }

  for (const name of ['branch-to-branch', 'webapp-hybrid']) {
    it(`${name}: verify azure finds on the imported topology, with what the user adds, what it finds on the original`, async () => {
      const original = load(exampleText(name), `${name}.yaml`);
      // One Resource Manager: the estate to import, and what its gateways, NICs and Network Watcher answer once deployed.
      const { standIn } = await deployed(original, { variants: network(fixture(name)) });
      const imported = await importFrom(standIn);
      expect(imported.code, imported.stderr).toBe(0);
      const dir = tempDir();
      writeFileSync(join(dir, 'imported.yaml'), stringify(withUserAdditions(load(imported.stdout), original)));
      writeFileSync(join(dir, 'original.yaml'), exampleText(name));
      const verify = async (file: string) => {
        const result = await cli(['verify', 'azure', join(dir, file), '--subscription', TEST_SUBSCRIPTION, '--format', 'json'], { env: azureEnvironment(standIn, fakeAz()) });
        // In the order of the topology's elements, which the import keeps in Azure's (id) order.
        return { code: result.code, findings: (JSON.parse(result.stdout) as { findings: unknown[] }).findings.map((f) => JSON.stringify(f)).sort() };
      };
      const before = await verify('original.yaml');
      expect(before.code).toBe(0);
      expect(await verify('imported.yaml')).toEqual(before);
    });
  }

  it('every kind of element hybridnet reads comes back as it was deployed', async () => {
    const original = load(readFileSync(new URL('./fixtures/import/every-kind.yaml', import.meta.url), 'utf8'), 'every-kind.yaml');
    const circuit = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-every-network/providers/Microsoft.Network/expressRouteCircuits/erc-branch';
    const { standIn } = await deployed(original, {
      // The circuit the ExpressRoute connection names, provisioned by its provider (ExpressRouteCircuitGet.json's shape).
      change: (held) => void held.set(circuit.toLowerCase(), { id: circuit, name: 'erc-branch', type: 'Microsoft.Network/expressRouteCircuits', location: 'westeurope', sku: { name: 'Standard_MeteredData', tier: 'Standard', family: 'MeteredData' }, properties: { provisioningState: 'Succeeded', circuitProvisioningState: 'Enabled', serviceProviderProvisioningState: 'Provisioned', peerings: [{ id: `${circuit}/peerings/AzurePrivatePeering`, name: 'AzurePrivatePeering', properties: { peeringType: 'AzurePrivatePeering', state: 'Enabled', azureASN: 12076, peerASN: 65023, primaryPeerAddressPrefix: '192.168.100.0/30', secondaryPeerAddressPrefix: '192.168.100.4/30', vlanId: 200, provisioningState: 'Succeeded' } }] } }),
    });
    const result = await importFrom(standIn, ['--name', 'every-kind']);
    expect(result.code, result.stderr).toBe(0);
    const imported = load(result.stdout);
    const back = withUserAdditions(imported, original);
    // What Azure holds comes back as it was (a gateway's generation is Azure's, explicit).
    const byName = <T extends { name: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
    const azure = (t: Topology) => ({
      ...t.azure,
      vnets: byName(t.azure.vnets).map((v) => ({ ...v, ...(v.vpnGateway ? { vpnGateway: { ...v.vpnGateway, generation: undefined } } : {}) })),
      routeTables: byName(t.azure.routeTables),
      networkSecurityGroups: byName(t.azure.networkSecurityGroups),
      firewalls: t.azure.firewalls.map((f) => ({ ...f, adminPassword: undefined })),
    });
    expect(azure(back)).toEqual(azure(original));
    expect(byName(back.connections).map((c) => ({ ...c, sharedKey: undefined }))).toEqual(byName(original.connections).map((c) => ({ ...c, sharedKey: undefined })));
    expect(byName(back.sites)).toEqual(byName(original.sites));
    expect(behaviour(back)).toEqual(behaviour(original));
    // What Azure does not hold is marked, and the site behind the circuit has the peering's router.
    expect(result.stdout).toMatch(/# Behind ExpressRoute \(private peering, 192\.168\.100\.0\/30\)/);
    expect(imported.sites.find((x) => x.name === 'erc-branch')?.bgp).toEqual({ asn: 65023, peerIp: '192.168.100.1', advertise: ['192.168.100.1/32'] });
    expect(result.stdout).toContain('env: FW_HUB_ADMIN_PASSWORD');
    expect(result.stderr).toContain('Azure does not hold the ranges of lng-hub-to-bgp, erc-branch (learned over BGP at run time)');
    expect(result.stdout).toMatch(/Its forwarding rules live in the appliance/);
  });

  it('random topologies import to the same routes and verdicts', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const original = load(topologyText(s, { intents: true }));
        const { standIn } = await deployed(original);
        const result = await importFrom(standIn);
        expect(result.code, result.stderr).toBe(0);
        expect(behaviour(withUserAdditions(load(result.stdout), original))).toEqual(behaviour(original));
        await standIn.close();
        standIns = standIns.filter((x) => x !== standIn);
      }),
      { numRuns: propertyRuns(12) },
    );
  });

  it('reads page by page and through throttling, with the same result; writes --out; never a secret value', async () => {
    const original = load(exampleText('webapp-hybrid'));
    const plain = await importFrom((await deployed(original)).standIn);
    const { standIn } = await deployed(original, {
      pageSize: 1,
      throttleEvery: 4,
      // An older API version returned the shared key in a connection's GET: import must not write it.
      change: (held) => {
        for (const r of held.values()) if (r.type === 'Microsoft.Network/connections') (r.properties as Record<string, unknown>).sharedKey = 'psk-value-that-must-not-leak';
      },
    });
    const dir = tempDir();
    const out = join(dir, 'imported.yaml');
    const paged = await importFrom(standIn, ['--out', out]);
    expect(paged.code, paged.stderr).toBe(0);
    expect(paged.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(plain.stdout);
    expect(standIn.requests.some((r) => r.operationId === 'throttled')).toBe(true);
    expect(standIn.requests.filter((r) => r.operationId === 'VirtualNetworks_List').length).toBeGreaterThan(1);
    expect(`${readFileSync(out, 'utf8')}${paged.stderr}`).not.toContain('psk-value-that-must-not-leak');
    expect(readFileSync(out, 'utf8')).toContain('env: WEBAPP_TO_AWS_PSK');
    // The file passes fmt --check as written.
    expect((await cli(['fmt', '--check', out])).code).toBe(0);
  });

  it('a group Azure refuses is reported and the rest imported; nothing readable is exit 3', async () => {
    const original = load(exampleText('webapp-hybrid'));
    const { standIn } = await deployed(original, { forbidden: ['rg-webapp-hybrid-app'] });
    const partial = await importFrom(standIn);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/resource group rg-webapp-hybrid-app not read: 403 AuthorizationFailed/);
    expect(partial.stdout).toContain('# - resource group rg-webapp-hybrid-app');
    expect(load(partial.stdout).azure.vnets.map((v) => v.name)).toEqual(['vnet-onprem-sim', 'vnet-webapp']);
    const none = await importFrom(standIn, ['--resource-group', 'rg-webapp-hybrid-app']);
    expect(none.code).toBe(3);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('nothing could be read');
  });

  it('reads only the groups named; not signed in is one line and exit 3', async () => {
    const original = load(exampleText('webapp-hybrid'));
    const { standIn } = await deployed(original);
    const some = await importFrom(standIn, ['--resource-group', 'rg-webapp-hybrid-network', '--resource-group', 'rg-webapp-hybrid-app']);
    expect(some.code, some.stderr).toBe(0);
    expect(some.stderr).toMatch(/read 2\/2 resource groups/);
    expect(standIn.requests.some((r) => r.operationId === 'ResourceGroups_List')).toBe(false);
    const touched = new Set(standIn.requests.map((r) => /\/resourceGroups\/([^/]+)/i.exec(r.path)?.[1]).filter(Boolean));
    expect([...touched].sort()).toEqual(['rg-webapp-hybrid-app', 'rg-webapp-hybrid-network']);
    expect(load(some.stdout).azure.appServices.map((a) => a.name)).toEqual(['app-webapp-hybrid']);
    // The appliance's group was not read: its route's next hop is listed, not invented.
    expect(some.stdout).toMatch(/route external-api-via-firewall \(203\.0\.113\.0\/24 via 10\.10\.1\.4\): the next hop is no appliance hybridnet imported/);

    const before = standIn.requests.length;
    const out = join(tempDir(), 'kept.yaml');
    writeFileSync(out, 'an earlier file\n');
    const signedOut = await cli(['import', 'azure', '--subscription', TEST_SUBSCRIPTION, '--out', out], { env: azureEnvironment(standIn, fakeAz({ signedIn: false })) });
    expect(signedOut.code).toBe(3);
    expect(signedOut.stderr.trim().split('\n')).toHaveLength(1);
    expect(signedOut.stderr).toMatch(/az login/);
    expect(readFileSync(out, 'utf8')).toBe('an earlier file\n');
    // Only the custom endpoint's metadata (no sign-in needed) was asked for.
    expect(standIn.requests.slice(before).map((r) => r.operationId)).toEqual(['Metadata_Endpoints']);
  });

  it('shapes it does not know are listed with their ids, never fatal, and the rest imported', async () => {
    const original = load(exampleText('webapp-regional'));
    const group = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-webapp-regional-network`;
    const odd: AzureResource[] = [
      // A VNet whose address space comes from an IPAM pool: no prefixes.
      { id: `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ipam`, name: 'vnet-ipam', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: { addressSpace: { ipamPoolPrefixAllocations: [{ pool: { id: 'pool1' }, numberOfIpAddresses: '256' }] }, subnets: [], virtualNetworkPeerings: [] } },
      // Not the shape the spec declares at all.
      { id: `${group}/providers/Microsoft.Network/virtualNetworks/vnet-odd`, name: 'vnet-odd', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: { addressSpace: 'everything', subnets: 'none', virtualNetworkPeerings: [{ properties: null }] } },
      { id: `${group}/providers/Microsoft.Network/connections/conn-odd`, name: 'conn-odd', type: 'Microsoft.Network/connections', location: 'westeurope', properties: { connectionType: 'VPNClient', virtualNetworkGateway1: { id: `${group}/providers/Microsoft.Network/virtualNetworkGateways/vgw-webapp` } } },
      { id: `${group}/providers/Microsoft.Network/azureFirewalls/afw-hub`, name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope', properties: { sku: { name: 'AZFW_VNet', tier: 'Standard' } } },
      { id: `${group}/providers/Microsoft.Network/routeTables/rt-odd`, name: 'rt-odd', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { routes: [{ id: `${group}/providers/Microsoft.Network/routeTables/rt-odd/routes/storage`, name: 'storage', properties: { addressPrefix: 'Storage', nextHopType: 'Internet' } }, { id: `${group}/providers/Microsoft.Network/routeTables/rt-odd/routes/ok`, name: 'ok', properties: { addressPrefix: '10.77.0.0/16', nextHopType: 'None' } }] } },
      { id: `${group}/providers/Microsoft.Network/networkSecurityGroups/nsg-odd`, name: 'nsg-odd', type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope', properties: { securityRules: [{ id: `${group}/providers/Microsoft.Network/networkSecurityGroups/nsg-odd/securityRules/to-storage`, name: 'to-storage', properties: { priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: 'Storage', destinationPortRange: '443' } }, { id: `${group}/providers/Microsoft.Network/networkSecurityGroups/nsg-odd/securityRules/asg`, name: 'asg', properties: { priority: 200, direction: 'Inbound', access: 'Allow', protocol: 'Esp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '*' } }] } },
    ];
    const { standIn } = await deployed(original, {
      change: (held) => odd.forEach((r) => held.set(r.id.toLowerCase(), r)),
      // The app group's list of plans is not a list: that group is lost, the others read.
      variants: { AppServicePlans_ListByResourceGroup: () => ({ body: { value: 'not a list' } }) },
    });
    const result = await importFrom(standIn);
    expect(result.code, result.stderr).toBe(0);
    const imported = load(result.stdout);
    expect(imported.azure.vnets.map((v) => v.name)).toEqual(['vnet-webapp']);
    expect(result.stderr).toMatch(/resource group rg-webapp-regional-app not read: an answer of an unexpected shape/);
    expect(imported.azure.appServices).toEqual([]);
    expect(imported.azure.routeTables.find((t) => t.name === 'rt-odd')?.routes).toEqual([{ name: 'ok', prefix: '10.77.0.0/16', nextHop: 'None' }]);
    expect(imported.azure.networkSecurityGroups.find((g) => g.name === 'nsg-odd')?.rules).toEqual([]);
    for (const [id, why] of [
      ['virtualNetworks/vnet-ipam', /VNet vnet-ipam: an unexpected shape \(addressSpace: /],
      // (what the SDK makes of it: no address prefixes, subnets without names)
      ['virtualNetworks/vnet-odd', /a subnet of vnet-odd without a name: an unexpected shape/],
      ['virtualNetworks/vnet-odd', /VNet vnet-odd: an unexpected shape \(addressSpace: Too small/],
      ['connections/conn-odd', /connection conn-odd: type VPNClient/],
      ['azureFirewalls/afw-hub', /afw-hub: Microsoft\.Network\/azureFirewalls: not a kind hybridnet models/],
      ['routeTables/rt-odd/routes/storage', /route storage of rt-odd: an unexpected shape \(prefix: /],
      ['networkSecurityGroups/nsg-odd/securityRules/to-storage', /security rule to-storage of nsg-odd: service tag Storage/],
      ['networkSecurityGroups/nsg-odd/securityRules/asg', /security rule asg of nsg-odd: protocol Esp/],
    ] as const) expect(result.stdout).toMatch(new RegExp(`# - ${group}/providers/Microsoft\\.Network/${id.replace(/\//g, '\\/')}\n#\\s+${why.source}`));
  });

  it('Microsoft\'s sample responses import without error, what cannot be represented listed with its id', async () => {
    // The samples' own subscription and group; each list with a sample answers it, and the kinds
    // with only a GET sample are held as that sample's body (its id, its shape).
    const subscription = '00000000-0000-0000-0000-000000000000';
    const sample = (file: string) => (JSON.parse(readFileSync(join(REFERENCE, file.includes('/') ? file : `network/2026-07-01/${file}`), 'utf8')) as { responses: { 200: { body: AzureResource } } }).responses[200].body;
    const marker = (type: string, name: string) => ({ id: `/subscriptions/${subscription}/resourceGroups/rg1/providers/${type}/${name}`, name, type, location: 'westus' });
    const held = [
      { id: `/subscriptions/${subscription}/resourceGroups/rg1`, name: 'rg1', type: 'Microsoft.Resources/resourceGroups', location: 'westus' },
      ...['virtualNetworks', 'virtualNetworkGateways', 'localNetworkGateways', 'connections', 'routeTables'].map((t) => marker(`Microsoft.Network/${t}`, `listed-${t}`)),
      sample('VirtualHubGet.json'),
      sample('ExpressRouteCircuitGet.json'),
      sample('PublicIpAddressGet.json'),
      sample('NatGatewayGet.json'),
      // Changed: the samples of a hub's BGP connection and IP configuration name hub1, the web app's
      // another subscription and group; each is moved under virtualHub1 and rg1 to be listed there.
      ...['VirtualHubBgpConnectionGet.json', 'VirtualHubIpConfigurationGet.json'].map((f) => ({ ...sample(f), id: sample(f).id.replace('/virtualHubs/hub1/', '/virtualHubs/virtualHub1/') })),
      { ...sample('web/2026-09-01/GetWebApp.json'), id: `/subscriptions/${subscription}/resourceGroups/rg1/providers/Microsoft.Web/sites/sitef6141` },
    ];
    const standIn = await startArmStandIn({ existing: Object.fromEntries(held.map((r) => [r.id, r])) });
    standIns.push(standIn);
    const result = await cli(['import', 'azure', '--subscription', subscription], { env: azureEnvironment(standIn, fakeAz({ subscription })) });
    expect(result.code, result.stderr).toBe(0);
    expect(standIn.unmatched).toEqual([]);
    expect(standIn.requests.every((r) => r.method === 'GET')).toBe(true);
    const imported = load(result.stdout);
    expect(imported.azure.vnets.length).toBeGreaterThan(0);
    // The app of the sample has no VNet integration hybridnet read: listed, with its id.
    expect(result.stdout).toMatch(/# - \/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{12}\/resourceGroups\/rg1\/providers\/Microsoft\.Web\/sites\/sitef6141\n#\s+app sitef6141: its plan was not read/);
    // The vWAN hub of the sample is not a Route Server: listed, with its id.
    expect(result.stdout).toMatch(/# - \/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{12}\/resourceGroups\/rg1\/providers\/Microsoft\.Network\/virtualHubs\/virtualHub1\n#\s+virtual hub virtualHub1: a Virtual WAN hub/);
    writeFileSync(join(tempDir(), 'samples.yaml'), result.stdout);
  });
});
