import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { formatDiagnostic, parseTopology, VPN_GATEWAY_SKU_TABLE, type GenerateResult, type VpnGatewaySku } from '@hybridnet/model';
import { validateTopology } from '@hybridnet/validate';
import { BICEP_CODES, bicepGenerator, bicepString } from '@hybridnet/gen-bicep';
import { compareGolden } from '../../../tools/test-support/golden.ts';
import { checkArmTemplate, typesAvailable } from './azure-types.ts';
import { DIAGNOSTIC_CASES } from './cases.ts';
import { parseBicep } from './bicep.ts';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');

function generate(text: string): GenerateResult {
  const loaded = parseTopology(text, 'topology.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const errors = validateTopology(loaded.topology, loaded.index).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return bicepGenerator.generate(loaded.topology, loaded.index, { expectedSiteRoutes: new Map() });
}
const file = (r: GenerateResult, path: string) => r.files.find((f) => f.path === path)!.content;
type ArmJson = { parameters: Record<string, { type: string; defaultValue?: unknown }>; resources: { type: string; apiVersion: string; name: string; location?: string; properties: Record<string, unknown>; dependsOn?: string[] }[]; outputs: Record<string, { value: string }> };

/** Key paths below `properties`, array positions left out (what parseBicep reports for Bicep). */
function propertyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => propertyPaths(v, prefix));
  if (!value || typeof value !== 'object' || (typeof value === 'string')) return [];
  return Object.entries(value).flatMap(([k, v]) => [prefix ? `${prefix}.${k}` : k, ...propertyPaths(v, prefix ? `${prefix}.${k}` : k)]);
}

describe.each(['webapp-hybrid', 'branch-to-branch', 'webapp-regional'])('%s', (name) => {
  const result = generate(example(name));
  const arm = JSON.parse(file(result, 'main.json')) as ArmJson;

  it('matches the golden files', () => {
    expect(compareGolden(fileURLToPath(new URL(`./scenarios/${name}/expected`, import.meta.url)), result.files)).toEqual([]);
  });

  it('main.bicep and its modules parse with the Bicep grammar', () => {
    for (const f of result.files.filter((x) => x.path.endsWith('.bicep'))) expect(parseBicep(f.content).errors, f.path).toEqual([]);
  });

  it('main.bicepparam uses main.bicep and sets exactly its parameters without default, with values that parse as Bicep', () => {
    // The grammar reads .bicep files; a .bicepparam line is `param <name> = <expression>`.
    const lines = file(result, 'main.bicepparam').split('\n').filter((l) => l && !l.startsWith('//'));
    expect(lines[0]).toBe("using './main.bicep'");
    // Key Vault secrets come by getSecret() in the subscription the environment names; nothing else is a variable.
    const vault = "var keyVaultSubscription = readEnvironmentVariable('AZURE_SUBSCRIPTION_ID')";
    const getSecrets = lines.filter((l) => l.includes('az.getSecret(keyVaultSubscription, '));
    expect(lines.filter((l) => l.startsWith('var '))).toEqual(getSecrets.length > 0 ? [vault] : []);
    const set = lines.slice(1).filter((l) => l !== vault).map((l) => /^param (\w+) = (.+)$/.exec(l));
    expect(set.every(Boolean)).toBe(true);
    const required = Object.entries(arm.parameters).filter(([, p]) => p.defaultValue === undefined).map(([n]) => n);
    expect(set.map((m) => m![1])).toEqual(required);
    for (const m of set) expect(parseBicep(`var value = ${m![2]}\n`).errors).toEqual([]);
  });

  it.skipIf(!typesAvailable)("every resource passes Azure's official type data", () => {
    expect(checkArmTemplate(arm)).toEqual([]);
  });

  it('Bicep and ARM JSON describe the same resources: types, names and property keys', () => {
    const bicep = result.files.filter((x) => x.path.endsWith('.bicep')).flatMap((f) => parseBicep(f.content).resources.map((r) => `${r.type} ${r.name.split('/').pop()} ${r.propertyPaths.join(',')}`));
    const flatten = (resources: ArmJson['resources']): ArmJson['resources'] => resources.flatMap((r) => (r.type === 'Microsoft.Resources/deployments' ? flatten((r.properties.template as ArmJson).resources) : [r]));
    const json = flatten(arm.resources).map((r) => `${r.type} ${r.name.split('/').pop()} ${[...new Set(propertyPaths(r.properties))].sort().join(',')}`);
    expect(bicep.sort()).toEqual(json.sort());
  });

  it('keeps every key secure: a secure parameter without default, never in an output', () => {
    const secure = Object.entries(arm.parameters).filter(([, p]) => p.type === 'securestring');
    expect(secure.length).toBeGreaterThan(0);
    for (const [, p] of secure) expect(p.defaultValue).toBeUndefined();
    for (const output of Object.values(arm.outputs)) for (const [n] of secure) expect(output.value).not.toContain(n);
    expect(file(result, 'main.bicep')).not.toMatch(/@secure\(\)\nparam \w+ string =/);
  });
});

describe.runIf(!typesAvailable)('without ../shared/azure-types', () => {
  it('says why the type-data checks were skipped', () => {
    console.warn('skipped the checks against Azure type data: ../shared/azure-types is not beside this checkout');
  });
});

describe.skipIf(!typesAvailable)('the type checker itself', () => {
  it('catches an unknown type, an unknown property, a wrong type, a read-only write and a value outside the enums hybridnet writes', () => {
    const problems = checkArmTemplate({
      resources: [
        { type: 'Microsoft.Network/nope', apiVersion: '2025-05-01', name: 'a' },
        { type: 'Microsoft.Network/routeTables', apiVersion: '2025-05-01', name: 'rt', location: 'westeurope', properties: { disableBgpRoutePropagation: 'no', routez: [], provisioningState: 'Succeeded' } },
        { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2025-05-01', name: 'pip', properties: { publicIPAllocationMethod: 'Sticky' } },
      ],
    });
    expect(problems).toEqual([
      'Microsoft.Network/nope/a: unknown resource type Microsoft.Network/nope@2025-05-01',
      'Microsoft.Network/routeTables/rt.properties.disableBgpRoutePropagation: expected a boolean, found "no"',
      'Microsoft.Network/routeTables/rt.properties: unknown property "routez"',
      'Microsoft.Network/routeTables/rt.properties.provisioningState: is read-only',
      'Microsoft.Network/publicIPAddresses/pip.properties.publicIPAllocationMethod: "Sticky" is not one of Static, Dynamic',
    ]);
  });
});

describe('what the templates say', () => {
  const b2b = JSON.parse(file(generate(example('branch-to-branch')), 'main.json')) as ArmJson;
  const byName = (name: string) => b2b.resources.find((r) => r.name === name)!;

  it('an active-active gateway with two zone-redundant public IPs, BGP, and outputs named as the RRAS script takes them', () => {
    expect(byName('vgw-hub').properties).toMatchObject({ activeActive: true, enableBgp: true, bgpSettings: { asn: 65515 }, ipConfigurations: [{ name: 'ipconfig1' }, { name: 'ipconfig2' }] });
    expect(Object.keys(b2b.outputs).sort()).toEqual(['VgwHubInstance0BgpIp', 'VgwHubInstance0PublicIp', 'VgwHubInstance1BgpIp', 'VgwHubInstance1PublicIp']);
    // Chosen by IP configuration, so each instance's weight lands on its own tunnel whatever the order Azure lists them in.
    expect(b2b.outputs.VgwHubInstance0BgpIp!.value).toBe("[filter(reference(resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-hub'), '2025-05-01').bgpSettings.bgpPeeringAddresses, lambda('x', endsWith(lambdaVariables('x').ipconfigurationId, '/ipconfig1')))[0].defaultBgpIpAddresses[0]]");
    expect(b2b.outputs.VgwHubInstance1BgpIp!.value).toBe("[filter(reference(resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-hub'), '2025-05-01').bgpSettings.bgpPeeringAddresses, lambda('x', endsWith(lambdaVariables('x').ipconfigurationId, '/ipconfig2')))[0].defaultBgpIpAddresses[0]]");
  });

  it('Route Server with branch-to-branch after both gateways, its IP configuration and the spoke using remote gateways', () => {
    expect(byName('rs-hub')).toMatchObject({ properties: { allowBranchToBranchTraffic: true } });
    expect(byName('rs-hub').dependsOn).toEqual(expect.arrayContaining(["[resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-hub')]", "[resourceId('Microsoft.Network/virtualNetworkGateways', 'ergw-hub')]"]));
    expect(byName('rs-hub/ipconfig1').properties).toMatchObject({ subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'RouteServerSubnet')]" } });
    expect(byName('vnet-spoke-app/hub-spoke-app').properties).toMatchObject({ useRemoteGateways: true, allowGatewayTransit: false });
    expect(byName('vnet-hub/hub-spoke-app').properties).toMatchObject({ useRemoteGateways: false, allowGatewayTransit: true });
  });

  it('the peerings and connections of the hub wait for Route Server\'s IP configuration (a PUT on them while it provisions fails)', () => {
    const ipconfig = "[resourceId('Microsoft.Network/virtualHubs/ipConfigurations', 'rs-hub', 'ipconfig1')]";
    for (const name of ['vnet-hub/hub-spoke-app', 'vnet-spoke-app/hub-spoke-app', 'hub-to-branch-er', 'hub-to-branch-rras']) expect(byName(name).dependsOn, name).toContain(ipconfig);
    // Without a Route Server nothing waits for one.
    const w = JSON.parse(file(generate(example('webapp-hybrid')), 'main.json')) as ArmJson;
    expect(JSON.stringify(w)).not.toContain('virtualHubs/ipConfigurations');
  });

  it('the BGP connection to the RRAS branch, its LNG peering with the server, and the ExpressRoute connection with a secure key', () => {
    expect(byName('hub-to-branch-rras').properties).toMatchObject({ connectionType: 'IPsec', enableBgp: true, sharedKey: "[parameters('HubToBranchRrasSharedKey')]" });
    expect(byName('lng-hub-to-branch-rras').properties).toEqual({ gatewayIpAddress: '203.0.113.60', localNetworkAddressSpace: { addressPrefixes: [] }, bgpSettings: { asn: 65060, bgpPeeringAddress: '10.60.0.4' } });
    expect(byName('hub-to-branch-er').properties).toMatchObject({ connectionType: 'ExpressRoute', authorizationKey: "[parameters('HubToBranchErAuthorizationKey')]" });
  });

  it('a VNet in a region of its own takes its gateway, public IPs, connections, NAT gateway, route table, test VM and app there; the rest stay in the template\'s location', () => {
    const t = parseYaml(example('webapp-hybrid')) as { azure: { vnets: { name: string; location?: string }[] } };
    t.azure.vnets.find((v) => v.name === 'vnet-onprem-sim')!.location = 'northeurope';
    const r = generate(stringify(t));
    const w = JSON.parse(file(r, 'main.json')) as ArmJson;
    const at = (n: string) => w.resources.find((x) => x.name === n)!.location;
    // A parameter of its own (Bicep's linter wants no region literal), defaulting to the region.
    expect(w.parameters.locationNortheurope).toMatchObject({ type: 'string', defaultValue: 'northeurope' });
    for (const name of ['vnet-onprem-sim', 'vgw-onprem-sim', 'vgw-onprem-sim-pip1', 'webapp-to-onprem-azure-reverse', 'lng-webapp-to-onprem-azure-reverse']) expect(at(name), name).toBe("[parameters('locationNortheurope')]");
    for (const name of ['vnet-webapp', 'vgw-webapp', 'webapp-to-onprem-azure', 'lng-webapp-to-onprem-azure', 'rt-external-via-firewall']) expect(at(name), name).toBe("[parameters('location')]");
    // The test VM in the simulated site, in its own resource group's module.
    const test = (w.resources.find((x) => x.name === 'webapp-hybrid-test')!.properties.template as ArmJson).resources;
    expect(test.filter((x) => x.name.startsWith('vm-onprem-azure')).map((x) => x.location)).toEqual(["[parameters('locationNortheurope')]", "[parameters('locationNortheurope')]"]);
    expect(test.filter((x) => x.name.startsWith('vm-backend')).map((x) => x.location)).toEqual(["[parameters('location')]", "[parameters('location')]"]);
    expect(file(r, 'main.bicep')).toMatch(/resource vnetVnetOnpremSim 'Microsoft\.Network\/virtualNetworks@[\d-]+' = \{\n  name: 'vnet-onprem-sim'\n  location: locationNortheurope\n/);
  });

  it('webapp-hybrid: both directions to the site simulated in Azure, the reverse LNG including the point-to-site pool, the UDR to the firewall IP', () => {
    const w = JSON.parse(file(generate(example('webapp-hybrid')), 'main.json')) as ArmJson;
    const r = (n: string) => w.resources.find((x) => x.name === n)!;
    expect(r('lng-webapp-to-onprem-azure-reverse').properties.localNetworkAddressSpace).toEqual({ addressPrefixes: ['10.10.0.0/16', '172.16.201.0/24'] });
    expect(r('webapp-to-onprem-azure-reverse').properties.sharedKey).toBe("[parameters('WebappToOnpremAzureSharedKey')]");
    expect(r('lng-webapp-to-aws').properties.gatewayIpAddress).toBe("[parameters('OnpremAwsPublicIp')]");
    expect(r('rt-external-via-firewall').properties.routes).toEqual([{ name: 'external-api-via-firewall', properties: { addressPrefix: '203.0.113.0/24', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.10.1.4' } }]);
  });

  it('webapp-hybrid: the firewall VM from the marketplace with its plan, its NIC forwarding, the app integrated through the gateway with its routes', () => {
    const w = JSON.parse(file(generate(example('webapp-hybrid')), 'main.json')) as ArmJson;
    const nested = (role: string) => (w.resources.find((r) => r.name === `webapp-hybrid-${role}`)!.properties.template as ArmJson).resources;
    const fw = nested('firewall');
    expect(fw.find((r) => r.type === 'Microsoft.Network/networkInterfaces')!.properties).toMatchObject({ enableIPForwarding: true, ipConfigurations: [{ properties: { privateIPAllocationMethod: 'Static', privateIPAddress: '10.10.1.4', subnet: { id: "[resourceId('rg-webapp-hybrid-network', 'Microsoft.Network/virtualNetworks/subnets', 'vnet-webapp', 'frontend')]" } } }] });
    // Pay as you go, as the seed walkthroughs deploy (BYOL boots unlicensed).
    const vm = fw.find((r) => r.type === 'Microsoft.Compute/virtualMachines') as unknown as { plan: unknown; properties: { osProfile: { customData: string } } };
    expect(vm.plan).toEqual({ name: 'cgf-hourly', product: 'barracuda-ng-firewall', publisher: 'barracudanetworks' });
    // Bootstrapped as Barracuda's own templates do: management IP and REST API at first boot, no password in it.
    expect(Buffer.from(vm.properties.osProfile.customData, 'base64').toString()).toBe('#!/bin/bash\n\n/opb/cloud-setmip 10.10.1.4 24 10.10.1.1\n/opb/cloud-enable-rest\n');
    // Its way out: a Standard static public IP on the NIC.
    expect(fw.find((r) => r.type === 'Microsoft.Network/publicIPAddresses')).toMatchObject({ name: 'fw-webapp-pip', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } });
    expect(fw.find((r) => r.type === 'Microsoft.Network/networkInterfaces')!.properties).toMatchObject({ ipConfigurations: [{ properties: { publicIPAddress: { id: "[resourceId('Microsoft.Network/publicIPAddresses', 'fw-webapp-pip')]" } } }] });
    const app = nested('app');
    expect(app.map((r) => r.type)).toEqual(['Microsoft.Web/serverfarms', 'Microsoft.Web/sites', 'Microsoft.Web/sites/virtualNetworkConnections', ...Array(3).fill('Microsoft.Web/serverfarms/virtualNetworkConnections/routes')]);
    expect(app.filter((r) => r.type.endsWith('/routes')).map((r) => r.properties)).toEqual([
      { startAddress: '10.20.0.0', endAddress: '10.20.255.255', routeType: 'STATIC' },
      { startAddress: '192.168.0.0', endAddress: '192.168.255.255', routeType: 'STATIC' },
      { startAddress: '203.0.113.0', endAddress: '203.0.113.255', routeType: 'STATIC' },
    ]);
  });

  it('webapp-hybrid: the gateway trusts the certificate App Service generated for the app, read from the app, so a redeploy keeps it', () => {
    const w = JSON.parse(file(generate(example('webapp-hybrid')), 'main.json')) as ArmJson & { resources: { dependsOn?: string[] }[] };
    const appDeployment = "[extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, 'rg-webapp-hybrid-app'), 'Microsoft.Resources/deployments', 'webapp-hybrid-app')]";
    const gateway = w.resources.find((r) => r.name === 'vgw-webapp')!;
    expect((gateway.properties.vpnClientConfiguration as { vpnClientRootCertificates: unknown }).vpnClientRootCertificates).toEqual([
      { name: 'appservice-app-webapp-hybrid', properties: { publicCertData: `[reference(${appDeployment.slice(1, -1)}, '2025-04-01').outputs.AppWebappHybridCertBlob.value]` } },
    ]);
    // The app (and its VNet connection, which makes App Service generate the certificate) comes first.
    expect(gateway.dependsOn).toContain(appDeployment);
    expect(w.resources.find((r) => r.name === 'webapp-hybrid-app')!.dependsOn).not.toContain("[resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-webapp')]");
    const inner = w.resources.find((r) => r.name === 'webapp-hybrid-app')!.properties.template as { outputs: Record<string, { value: string }> };
    expect(inner.outputs.AppWebappHybridCertBlob!.value).toBe("[reference(resourceId('Microsoft.Web/sites/virtualNetworkConnections', 'app-webapp-hybrid', 'vnet-webapp'), '2024-11-01').certBlob]");
  });

  it('never writes an empty root certificate list, which would remove every trusted certificate on redeploy', () => {
    const text = example('webapp-hybrid').replace(/  appServices:[\s\S]*?\n(?=  networkSecurityGroups:|sites:)/, '').replace(/\nintents:[\s\S]*$/, '\n'); // the intents name the app
    const w = JSON.parse(file(generate(text), 'main.json')) as ArmJson;
    const config = w.resources.find((r) => r.name === 'vgw-webapp')!.properties.vpnClientConfiguration as Record<string, unknown>;
    expect(config).toBeDefined();
    expect('vpnClientRootCertificates' in config).toBe(false);
  });

  it('with the app in the network\'s resource group, the gateway reads the certificate from the VNet connection itself', () => {
    const text = example('webapp-hybrid').replace('    app: rg-webapp-hybrid-app\n', '');
    const w = JSON.parse(file(generate(text), 'main.json')) as ArmJson & { resources: { dependsOn?: string[] }[] };
    const gateway = w.resources.find((r) => r.name === 'vgw-webapp')!;
    expect(JSON.stringify(gateway.properties)).toContain("[reference(resourceId('Microsoft.Web/sites/virtualNetworkConnections', 'app-webapp-hybrid', 'vnet-webapp'), '2024-11-01').certBlob]");
    expect(gateway.dependsOn).toContain("[resourceId('Microsoft.Web/sites/virtualNetworkConnections', 'app-webapp-hybrid', 'vnet-webapp')]");
  });

  it.each([
    ['VpnGw1AZ', undefined, 'Generation1'],
    ['Basic', undefined, 'Generation1'],
    ['VpnGw2AZ', undefined, 'Generation2'],
    ['VpnGw3AZ', 'Generation1', 'Generation1'],
    ['VpnGw5AZ', undefined, 'Generation2'],
  ])('a %s gateway (generation %s) is emitted as %s, which Azure accepts for the SKU', (sku, given, expected) => {
    const text = example('webapp-hybrid').replace('        sku: VpnGw1AZ\n        pointToSite', `        sku: ${sku}\n${given ? `        generation: ${given}\n` : ''}        pointToSite`);
    const w = JSON.parse(file(generate(text), 'main.json')) as ArmJson;
    expect(w.resources.find((r) => r.name === 'vgw-webapp')!.properties.vpnGatewayGeneration).toBe(expected);
    expect(VPN_GATEWAY_SKU_TABLE[sku as VpnGatewaySku].generations).toContain(expected);
  });

  it('writes no empty parameter value: an on-premises address known only later is an input, not a placeholder', () => {
    const params = JSON.parse(file(generate(example('webapp-hybrid')), 'main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
    expect(Object.values(params.parameters).filter((p) => p.value === '' || p.value === null)).toEqual([]);
    expect('OnpremAwsPublicIp' in params.parameters).toBe(false);
  });

  it('a subnet\'s NAT gateway: Standard, with its own Standard static public IP, attached to the subnet', () => {
    const text = example('webapp-hybrid').replace('        - name: frontend\n          prefix: 10.10.1.0/24\n', '        - name: frontend\n          prefix: 10.10.1.0/24\n          natGateway: nat-frontend\n');
    const w = JSON.parse(file(generate(text), 'main.json')) as ArmJson;
    expect(w.resources.find((r) => r.name === 'nat-frontend')).toMatchObject({ type: 'Microsoft.Network/natGateways', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: "[resourceId('Microsoft.Network/publicIPAddresses', 'nat-frontend-pip')]" }] } });
    const vnet = w.resources.find((r) => r.name === 'vnet-webapp')!;
    expect((vnet.properties.subnets as { name: string; properties: Record<string, unknown> }[]).find((x) => x.name === 'frontend')!.properties.natGateway).toEqual({ id: "[resourceId('Microsoft.Network/natGateways', 'nat-frontend')]" });
  });

  it('names derive from model names: reordering the topology renames nothing', () => {
    const text = example('branch-to-branch');
    const raw = parseYaml(text) as { azure: { vnets: unknown[] }; sites: unknown[]; connections: unknown[] };
    raw.azure.vnets.reverse();
    raw.sites.reverse();
    raw.connections.reverse();
    const names = (r: GenerateResult) => (JSON.parse(file(r, 'main.json')) as ArmJson).resources.map((x) => `${x.type} ${x.name}`).sort();
    expect(names(generate(stringify(raw)))).toEqual(names(generate(text)));
  });
});

describe('strings', () => {
  it.each(["it's", '${injected}', 'back\\slash', 'new\nline'])('escapes %j for Bicep', (value) => {
    const parsed = parseBicep(`param p string = ${bicepString(value)}\n`);
    expect(parsed.errors).toEqual([]);
  });
});

describe('diagnostics', () => {
  const cases = DIAGNOSTIC_CASES;
  it.each(cases)('$code', ({ code, text }) => expect(generate(text()).diagnostics.map((d) => d.code)).toContain(code));
  it('has a case for every code', () => expect(Object.keys(BICEP_CODES).filter((c) => !cases.some((x) => x.code === c))).toEqual([]));
});

describe('every valid topology yields Bicep that parses and ARM that passes the type data', () => {
  it('holds for random hubs, gateways and sites', () => {
    fc.assert(
      fc.property(
        fc.record({ activeActive: fc.boolean(), bgp: fc.boolean(), p2s: fc.constantFrom('none', 'certificate', 'radius', 'aad'), er: fc.boolean(), routeServer: fc.boolean(), spoke: fc.boolean(), sites: fc.integer({ min: 0, max: 3 }), policy: fc.boolean(), sku: fc.constantFrom('VpnGw1AZ', 'VpnGw2AZ', 'VpnGw3AZ') }),
        (s) => {
          const activeActive = s.activeActive || s.routeServer;
          const p2s = s.p2s === 'none' ? '' : `, pointToSite: { addressPool: [172.16.0.0/24], tunnelTypes: [${s.p2s === 'aad' ? 'OpenVPN' : 'IKEv2'}], authentication: ${s.p2s === 'certificate' ? '{ type: certificate, rootCertificates: [{ name: root, publicCertData: QUJDREVGR0hJSktMTU5PUFFSU1RVVldY }] }' : s.p2s === 'radius' ? '{ type: radius, server: 10.0.1.10, secret: { env: RADIUS } }' : '{ type: aad, tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47, audience: 41b23e61-6c1e-4545-b367-cd054e0ed4b4 }'} }`;
          const sites = Array.from({ length: s.sites }, (_, i) => `\n  - { name: site-${i}, lan: [10.${60 + i}.0.0/16], device: { type: rras, publicIp: ${i === 0 ? 'after-deploy' : `203.0.113.${i}`}, privateIp: 10.${60 + i}.0.4 }${s.bgp ? `, bgp: { asn: ${65060 + i}, peerIp: 10.${60 + i}.0.4, advertise: [10.${60 + i}.0.0/16] }` : ''} }`).join('');
          const connections = Array.from({ length: s.sites }, (_, i) => `\n  - { name: to-site-${i}, type: site-to-site, gateway: vgw-hub, site: site-${i}, bgp: ${s.bgp}, sharedKey: { env: PSK_${i} }${s.policy ? ', ipsecPolicy: { ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup14, ipsecEncryption: GCMAES256, ipsecIntegrity: GCMAES256, pfsGroup: PFS2048 }' : ''} }`).join('');
          const text = `hybridnet: 1
name: random
azure:
  location: westeurope
  resourceGroups: { network: rg-random }
  vnets:
    - name: vnet-hub
      addressSpace: [10.0.0.0/16]
      subnets: [{ name: GatewaySubnet, prefix: 10.0.255.0/26 }, { name: RouteServerSubnet, prefix: 10.0.254.0/26 }, { name: workload, prefix: 10.0.1.0/24 }]
      vpnGateway: { name: vgw-hub, sku: ${s.sku}, activeActive: ${activeActive}${s.bgp || s.routeServer ? ', bgp: { asn: 65515 }' : ''}${p2s} }
${s.er ? '      expressRouteGateway: { name: ergw-hub, sku: ErGw1AZ }\n' : ''}${s.routeServer ? '      routeServer: { name: rs-hub, branchToBranch: true, peers: [{ name: nva, peerIp: 10.0.1.4, asn: 65020 }] }\n' : ''}${s.spoke ? '    - { name: vnet-spoke, addressSpace: [10.1.0.0/16], subnets: [{ name: app, prefix: 10.1.1.0/24 }] }\n  peerings:\n    - { name: hub-spoke, vnets: [vnet-hub, vnet-spoke], gatewayTransitFrom: vnet-hub }\n' : ''}sites:${sites || ' []'}
connections:${connections || ' []'}
`;
          const result = generate(text);
          expect(parseBicep(file(result, 'main.bicep')).errors).toEqual([]);
          if (typesAvailable) expect(checkArmTemplate(JSON.parse(file(result, 'main.json')))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
