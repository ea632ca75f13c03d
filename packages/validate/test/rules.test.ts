/**
 * Every rule, caught and not caught: each case mutates a bundled example so that it trips the
 * rule, and mutates it a second way (or not at all) so that it does not. A meta-test requires a
 * case for every code in the catalogue.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '@hybridnet/model';
import { VALIDATE_CODES, type ValidateCode } from '@hybridnet/validate';
import { example, validate, type Raw } from './helpers.ts';

type Base = 'webapp-hybrid' | 'branch-to-branch' | 'webapp-regional';
interface Case {
  readonly code: ValidateCode;
  readonly base: Base;
  readonly fail: (t: Raw) => void;
  /** A near miss that must not trip the rule (default: the unchanged example). */
  readonly pass?: (t: Raw) => void;
}

const W = 'webapp-hybrid';
const B = 'branch-to-branch';
const hub = (t: Raw) => t.azure.vnets[0];
const subnet = (t: Raw, name: string, v = 0) => t.azure.vnets[v].subnets.find((s: Raw) => s.name === name);
const regional = (t: Raw, prefix: string, delegation = true) => {
  hub(t).subnets.push({ name: 'appsvc', prefix, ...(delegation ? { delegation: 'Microsoft.Web/serverFarms' } : {}) });
  t.azure.appServices[0].integration = { type: 'regional', vnet: 'vnet-webapp', subnet: 'appsvc' };
};
const addBranches = (t: Raw, count: number) => {
  for (let n = 0; n < count; n++) {
    t.sites.push({ name: `branch-${n}`, lan: [`10.${70 + n}.0.0/16`], device: { type: 'rras', publicIp: `203.0.113.${100 + n}`, privateIp: `10.${70 + n}.0.4` } });
    t.connections.push({ name: `hub-to-branch-${n}`, type: 'site-to-site', gateway: 'vgw-hub', site: `branch-${n}`, sharedKey: { env: 'PSK' } });
  }
};

/** Gives `holder` (a subnet, test endpoint or firewall) a network security group with `rules`. */
const nsg = (t: Raw, holder: Raw, rules: Raw[] = []) => {
  t.azure.networkSecurityGroups = [...(t.azure.networkSecurityGroups ?? []), { name: `nsg-${t.azure.networkSecurityGroups?.length ?? 0}`, rules }];
  holder.networkSecurityGroup = t.azure.networkSecurityGroups.at(-1).name;
};
const rule = (name: string, priority: number, direction: 'Inbound' | 'Outbound', more: Raw = {}): Raw => ({ name, priority, direction, access: 'Allow', source: ['*'], destination: ['*'], ...more });

export const CASES: Case[] = [
  // Address plan
  { code: 'hybridnet/validate/address/vnet-forbidden-range', base: W, fail: (t) => hub(t).addressSpace.push('224.0.0.0/24'), pass: (t) => hub(t).addressSpace.push('10.11.0.0/16') },
  { code: 'hybridnet/validate/address/vnet-public-range', base: W, fail: (t) => hub(t).addressSpace.push('20.0.0.0/16'), pass: (t) => hub(t).addressSpace.push('100.64.0.0/16') },
  { code: 'hybridnet/validate/address/vnet-self-overlap', base: W, fail: (t) => hub(t).addressSpace.push('10.10.4.0/24'), pass: (t) => hub(t).addressSpace.push('10.11.0.0/16') },
  { code: 'hybridnet/validate/address/subnet-size', base: W, fail: (t) => hub(t).subnets.push({ name: 'tiny', prefix: '10.10.9.0/30' }), pass: (t) => hub(t).subnets.push({ name: 'tiny', prefix: '10.10.9.0/29' }) },
  { code: 'hybridnet/validate/address/subnet-outside-vnet', base: W, fail: (t) => hub(t).subnets.push({ name: 'x', prefix: '10.11.0.0/24' }), pass: (t) => hub(t).subnets.push({ name: 'x', prefix: '10.10.9.0/24' }) },
  { code: 'hybridnet/validate/address/subnet-overlap', base: W, fail: (t) => hub(t).subnets.push({ name: 'x', prefix: '10.10.1.128/25' }), pass: (t) => hub(t).subnets.push({ name: 'x', prefix: '10.10.9.0/24' }) },
  { code: 'hybridnet/validate/address/domain-overlap', base: W, fail: (t) => t.sites[0].lan.push('10.10.128.0/24'), pass: (t) => t.sites[0].lan.push('10.21.0.0/24') },
  { code: 'hybridnet/validate/address/p2s-pool-overlap', base: W, fail: (t) => (hub(t).vpnGateway.pointToSite.addressPool = ['10.20.200.0/24']), pass: (t) => (hub(t).vpnGateway.pointToSite.addressPool = ['172.16.202.0/24']) },
  { code: 'hybridnet/validate/address/p2s-pool-public', base: W, fail: (t) => (hub(t).vpnGateway.pointToSite.addressPool = ['100.64.1.0/24']), pass: (t) => (hub(t).vpnGateway.pointToSite.addressPool = ['172.31.0.0/24']) },
  { code: 'hybridnet/validate/address/aws-cidr-size', base: W, fail: (t) => (t.sites[0].hosting.subnetCidr = '10.20.1.0/29'), pass: (t) => (t.sites[0].hosting.subnetCidr = '10.20.1.0/28') },
  { code: 'hybridnet/validate/address/site-layout', base: W, fail: (t) => (t.sites[0].device.privateIp = '10.30.0.4'), pass: (t) => (t.sites[0].device.privateIp = '10.20.1.11') },
  {
    code: 'hybridnet/validate/address/apipa-overlap',
    base: B,
    fail: (t) => (hub(t).vpnGateway.bgp.instances = [{ apipa: ['169.254.21.1'] }, { apipa: ['169.254.21.1'] }]),
    pass: (t) => (hub(t).vpnGateway.bgp.instances = [{ apipa: ['169.254.21.1'] }, { apipa: ['169.254.22.1'] }]),
  },
  // Named subnets
  { code: 'hybridnet/validate/subnet/gateway-subnet-missing', base: W, fail: (t) => (subnet(t, 'GatewaySubnet').name = 'gateway-subnet') },
  { code: 'hybridnet/validate/subnet/gateway-subnet-below-recommended', base: W, fail: (t) => (subnet(t, 'GatewaySubnet').prefix = '10.10.255.0/28'), pass: (t) => (subnet(t, 'GatewaySubnet').prefix = '10.10.254.0/26') },
  { code: 'hybridnet/validate/subnet/gateway-subnet-coexistence-size', base: B, fail: (t) => (subnet(t, 'GatewaySubnet').prefix = '10.100.0.0/28'), pass: (t) => (subnet(t, 'GatewaySubnet').prefix = '10.100.0.0/27') },
  {
    code: 'hybridnet/validate/subnet/gateway-subnet-default-route',
    base: W,
    fail: (t) => t.azure.routeTables[0].routes.push({ name: 'default', prefix: '0.0.0.0/0', nextHop: { virtualAppliance: 'fw-webapp' } }),
    pass: (t) => t.azure.routeTables[0].routes.push({ name: 'partner', prefix: '198.51.100.0/24', nextHop: { virtualAppliance: 'fw-webapp' } }),
  },
  { code: 'hybridnet/validate/subnet/gateway-subnet-propagation', base: W, fail: (t) => (t.azure.routeTables[0].propagateGatewayRoutes = false), pass: (t) => (t.azure.routeTables[0].propagateGatewayRoutes = true) },
  { code: 'hybridnet/validate/subnet/dedicated-subnet-in-use', base: W, fail: (t) => (t.testEndpoints[0].attach.subnet = 'GatewaySubnet'), pass: (t) => (t.testEndpoints[0].attach.subnet = 'frontend') },
  { code: 'hybridnet/validate/subnet/route-server-subnet-missing', base: B, fail: (t) => (hub(t).subnets = hub(t).subnets.filter((s: Raw) => s.name !== 'RouteServerSubnet')) },
  { code: 'hybridnet/validate/subnet/route-server-subnet-size', base: B, fail: (t) => (subnet(t, 'RouteServerSubnet').prefix = '10.100.1.0/28') },
  { code: 'hybridnet/validate/subnet/route-server-subnet-below-recommended', base: B, fail: (t) => (subnet(t, 'RouteServerSubnet').prefix = '10.100.1.0/27'), pass: (t) => (subnet(t, 'RouteServerSubnet').prefix = '10.100.2.0/25') },
  {
    code: 'hybridnet/validate/subnet/route-server-subnet-route-table',
    base: B,
    fail: (t) => ((t.azure.routeTables = [{ name: 'rt-x' }]), (subnet(t, 'RouteServerSubnet').routeTable = 'rt-x')),
    pass: (t) => ((t.azure.routeTables = [{ name: 'rt-x' }]), (subnet(t, 'shared-services').routeTable = 'rt-x')),
  },
  // App Service
  { code: 'hybridnet/validate/appservice/integration-subnet-delegation', base: W, fail: (t) => regional(t, '10.10.3.0/26', false), pass: (t) => regional(t, '10.10.3.0/26') },
  { code: 'hybridnet/validate/appservice/integration-subnet-size', base: W, fail: (t) => regional(t, '10.10.3.0/29'), pass: (t) => regional(t, '10.10.3.0/28') },
  { code: 'hybridnet/validate/appservice/integration-subnet-below-recommended', base: W, fail: (t) => regional(t, '10.10.3.0/28'), pass: (t) => regional(t, '10.10.3.0/26') },
  {
    code: 'hybridnet/validate/appservice/integration-subnet-shared',
    base: W,
    fail: (t) => (regional(t, '10.10.3.0/26'), t.azure.appServices.push({ ...t.azure.appServices[0], name: 'app-two', plan: { name: 'asp-two', sku: 'S1' } })),
    pass: (t) => (regional(t, '10.10.3.0/26'), t.azure.appServices.push({ ...t.azure.appServices[0], name: 'app-two' })),
  },
  { code: 'hybridnet/validate/appservice/integration-vnet-ipv6', base: W, fail: (t) => (regional(t, '10.10.3.0/26'), hub(t).addressSpace.push('fd00:10::/48')), pass: (t) => regional(t, '10.10.3.0/26') },
  { code: 'hybridnet/validate/appservice/gateway-required-needs-p2s', base: W, fail: (t) => (hub(t).vpnGateway.pointToSite.tunnelTypes = ['IKEv2']), pass: (t) => (hub(t).vpnGateway.pointToSite.tunnelTypes = ['SSTP', 'IKEv2']) },
  { code: 'hybridnet/validate/appservice/gateway-required-with-expressroute', base: W, fail: (t) => (hub(t).expressRouteGateway = { name: 'ergw', sku: 'ErGw1AZ' }) },
  // Gateways
  { code: 'hybridnet/validate/appservice/gateway-required-ikev2', base: W, fail: (t) => (hub(t).vpnGateway.pointToSite.tunnelTypes = ['SSTP', 'IKEv2']), pass: (t) => ((hub(t).vpnGateway.sku = 'Basic'), (hub(t).vpnGateway.pointToSite.tunnelTypes = ['SSTP'])) },
  {
    // 700 small subnets, and an intent from the VNet to itself: 700 sources × 700 destinations is past the flow budget.
    code: 'hybridnet/validate/intent/too-large',
    base: W,
    fail: (t) => {
      for (let i = 0; i < 700; i++) hub(t).subnets.push({ name: `tiny-${i}`, prefix: `10.10.${16 + (i >> 4)}.${(i & 15) * 16}/28` });
      t.intents.push({ name: 'everything', kind: 'reach', from: 'vnet-webapp', to: ['vnet-webapp'] });
    },
    pass: (t) => t.intents.push({ name: 'one-subnet', kind: 'reach', from: 'vnet-webapp/backend', to: ['vnet-webapp/frontend'] }),
  },
  { code: 'hybridnet/validate/appservice/unique-name-too-long', base: W, fail: (t) => (t.azure.uniqueSuffix = 'abcdefgh'), pass: (t) => (t.azure.uniqueSuffix = 'x7k2') },
  { code: 'hybridnet/validate/appservice/gateway-required-retiring', base: W, fail: () => {}, pass: (t) => regional(t, '10.10.3.0/26') },
  { code: 'hybridnet/validate/gateway/sku-generation', base: W, fail: (t) => (hub(t).vpnGateway.generation = 'Generation2'), pass: (t) => Object.assign(hub(t).vpnGateway, { sku: 'VpnGw2AZ', generation: 'Generation2' }) },
  { code: 'hybridnet/validate/gateway/sku-retiring', base: W, fail: (t) => (hub(t).vpnGateway.sku = 'VpnGw1') },
  { code: 'hybridnet/validate/gateway/basic-sku-feature', base: W, fail: (t) => ((hub(t).vpnGateway.sku = 'Basic'), (hub(t).vpnGateway.pointToSite.tunnelTypes = ['SSTP', 'IKEv2'])), pass: (t) => (hub(t).vpnGateway.sku = 'Basic') },
  { code: 'hybridnet/validate/gateway/policy-based-feature', base: W, fail: (t) => (hub(t).vpnGateway.vpnType = 'PolicyBased'), pass: (t) => (t.azure.vnets[1].vpnGateway.vpnType = 'PolicyBased') },
  { code: 'hybridnet/validate/gateway/tunnel-budget', base: B, fail: (t) => addBranches(t, 15), pass: (t) => addBranches(t, 14) },
  { code: 'hybridnet/validate/gateway/tunnel-instance', base: W, fail: (t) => (t.connections[0].tunnels = [{ instance: 1 }]), pass: (t) => (t.connections[0].tunnels = [{ instance: 0 }]) },
  { code: 'hybridnet/validate/gateway/active-active-apipa', base: B, fail: (t) => (hub(t).vpnGateway.bgp.instances = [{ apipa: ['169.254.21.1'] }]), pass: (t) => (hub(t).vpnGateway.bgp.instances = [{ apipa: ['169.254.21.1'] }, { apipa: ['169.254.22.1'] }]) },
  { code: 'hybridnet/validate/gateway/coexistence-asn', base: B, fail: (t) => (hub(t).vpnGateway.bgp.asn = 65010) },
  { code: 'hybridnet/validate/gateway/route-server-needs-active-active', base: B, fail: (t) => ((hub(t).vpnGateway.activeActive = false), delete t.connections[1].tunnels) },
  // BGP
  { code: 'hybridnet/validate/bgp/asn-reserved', base: B, fail: (t) => (t.sites[1].bgp.asn = 65517), pass: (t) => (t.sites[1].bgp.asn = 65061) },
  { code: 'hybridnet/validate/bgp/asn-range', base: B, fail: (t) => (t.sites[1].bgp.asn = 4200000000), pass: (t) => (t.sites[1].bgp.asn = 65534) },
  { code: 'hybridnet/validate/bgp/asn-same-as-azure', base: B, fail: (t) => (t.sites[1].bgp.asn = 65515), pass: (t) => (t.sites[1].bgp.asn = 65514) },
  { code: 'hybridnet/validate/bgp/peer-ip-is-public-ip', base: B, fail: (t) => (t.sites[1].bgp.peerIp = '203.0.113.60') },
  { code: 'hybridnet/validate/bgp/peer-ip-unreachable', base: B, fail: (t) => (t.sites[1].bgp.peerIp = '10.70.0.4'), pass: (t) => (t.sites[1].bgp.peerIp = '10.60.255.254') },
  {
    code: 'hybridnet/validate/bgp/apipa-range',
    base: B,
    fail: (t) => (hub(t).vpnGateway.bgp.instances = [{ apipa: ['169.254.30.1'] }, { apipa: ['169.254.22.1'] }]),
    pass: (t) => (hub(t).vpnGateway.bgp.instances = [{ apipa: ['169.254.21.1'] }, { apipa: ['169.254.22.1'] }]),
  },
  { code: 'hybridnet/validate/bgp/connection-needs-bgp-ends', base: B, fail: (t) => delete t.sites[1].bgp },
  { code: 'hybridnet/validate/bgp/site-bgp-unused', base: B, fail: (t) => (t.connections[1].bgp = false) },
  {
    code: 'hybridnet/validate/bgp/multiple-connections-need-bgp',
    base: W,
    fail: (t) => t.connections.push({ ...t.connections[0], name: 'webapp-to-aws-2' }),
  },
  { code: 'hybridnet/validate/bgp/exact-vnet-prefix-advertised', base: B, fail: (t) => t.sites[1].bgp.advertise.push('10.100.0.0/16'), pass: (t) => t.sites[1].bgp.advertise.push('10.100.0.0/15') },
  {
    code: 'hybridnet/validate/bgp/route-server-peer-location',
    base: B,
    fail: (t) => (hub(t).routeServer.peers = [{ name: 'nva', peerIp: '192.168.0.4', asn: 65020 }]),
    pass: (t) => (hub(t).routeServer.peers = [{ name: 'nva', peerIp: '10.101.1.4', asn: 65020 }]),
  },
  // Routes
  { code: 'hybridnet/validate/route/appliance-outside-subnet', base: W, fail: (t) => (t.azure.firewalls[0].privateIp = '10.10.2.4'), pass: (t) => (t.azure.firewalls[0].privateIp = '10.10.1.254') },
  { code: 'hybridnet/validate/route/appliance-in-served-subnet', base: W, fail: (t) => (subnet(t, 'frontend').routeTable = 'rt-external-via-firewall') },
  {
    code: 'hybridnet/validate/route/gateway-next-hop-with-coexistence',
    base: B,
    fail: (t) => ((t.azure.routeTables = [{ name: 'rt-x', routes: [{ name: 'r', prefix: '10.60.0.0/16', nextHop: 'VirtualNetworkGateway' }] }]), (subnet(t, 'shared-services').routeTable = 'rt-x')),
    pass: (t) => ((t.azure.routeTables = [{ name: 'rt-x', routes: [{ name: 'r', prefix: '10.60.0.0/16', nextHop: 'None' }] }]), (subnet(t, 'shared-services').routeTable = 'rt-x')),
  },
  {
    code: 'hybridnet/validate/route/table-limit',
    base: W,
    fail: (t) => t.azure.routeTables[0].routes.push(...Array.from({ length: 400 }, (_, i) => ({ name: `r${i}`, prefix: `198.18.${i >> 1}.${(i & 1) * 128}/25`, nextHop: 'None' }))),
    pass: (t) => t.azure.routeTables[0].routes.push(...Array.from({ length: 399 }, (_, i) => ({ name: `r${i}`, prefix: `198.18.${i >> 1}.${(i & 1) * 128}/25`, nextHop: 'None' }))),
  },
  { code: 'hybridnet/validate/route/table-unused', base: W, fail: (t) => t.azure.routeTables.push({ name: 'rt-spare' }) },
  {
    code: 'hybridnet/validate/route/region-mismatch',
    base: W,
    fail: (t) => Object.assign(t.azure.vnets.find((v: Raw) => v.name === 'vnet-onprem-sim'), { location: 'northeurope' }).subnets.find((s: Raw) => s.name === 'workload').routeTable = 'rt-external-via-firewall',
    pass: (t) => Object.assign(t.azure.vnets.find((v: Raw) => v.name === 'vnet-onprem-sim'), { location: 'northeurope' }),
  },
  // No site routes the partner API to Azure: the sites' traffic toward it never reaches the firewall.
  { code: 'hybridnet/validate/route/firewall-rule-unreachable', base: W, fail: (t) => t.azure.firewalls[0].rules.push({ name: 'ONPREM-2-EXTERNAL-API', source: ['ONPREM-NETWORKS'], destination: ['EXTERNAL-API'], services: ['HTTPS'] }), pass: (t) => t.azure.firewalls[0].rules.push({ name: 'AZURE-2-EXTERNAL-API-HTTP', source: ['AZURE-NETWORKS'], destination: ['EXTERNAL-API'], services: ['HTTPS'] }) },
  // The two ends of a tunnel
  { code: 'hybridnet/validate/consistency/site-address-space', base: W, fail: (t) => (t.connections[0].siteAddressSpace = ['10.20.1.0/24']), pass: (t) => (t.connections[0].siteAddressSpace = ['10.20.0.0/16']) },
  { code: 'hybridnet/validate/consistency/azure-address-space', base: W, fail: (t) => (t.connections[0].azureAddressSpace = ['172.16.201.0/24']), pass: (t) => (t.connections[0].azureAddressSpace = ['10.10.0.0/16', '172.16.201.0/24']) },
  {
    code: 'hybridnet/validate/consistency/device-capability',
    base: W,
    fail: (t) => (t.connections[0].ipsecPolicy.ikeEncryption = 'GCMAES256'),
    pass: (t) => Object.assign(t.connections[0].ipsecPolicy, { ipsecEncryption: 'GCMAES256', ipsecIntegrity: 'GCMAES256' }),
  },
  // Routing, from the simulation
  { code: 'hybridnet/validate/routing/site-advertises-only-host', base: B, fail: (t) => (t.sites[1].bgp.advertise = ['10.60.0.4/32']), pass: (t) => (t.sites[1].bgp.advertise = ['10.60.0.4/32', '10.60.0.0/16']) },
  { code: 'hybridnet/validate/routing/single-tunnel-to-active-active', base: B, fail: (t) => (t.connections[1].tunnels = [{ instance: 0, weight: 200 }]) },
  { code: 'hybridnet/validate/routing/p2s-return-path', base: W, fail: (t) => (t.connections[0].azureAddressSpace = ['10.10.0.0/16']), pass: (t) => (t.connections[0].azureAddressSpace = ['10.10.0.0/16', '172.16.0.0/12']) },
  {
    code: 'hybridnet/validate/routing/er-vpn-transit-needs-route-server',
    base: B,
    // Without intents: with one that needs the path it is an error (intents.test.ts).
    fail: (t) => ((hub(t).routeServer.branchToBranch = false), delete t.intents),
  },
  {
    code: 'hybridnet/validate/routing/firewall-rule-missing',
    base: W,
    // The AWS site now routes the partner API to Azure: its traffic reaches the firewall, which has no rule for it.
    fail: (t) => (t.connections[0].azureAddressSpace = ['10.10.0.0/16', '172.16.201.0/24', '203.0.113.0/24']),
    pass: (t) => ((t.connections[0].azureAddressSpace = ['10.10.0.0/16', '172.16.201.0/24', '203.0.113.0/24']), t.azure.firewalls[0].rules.push({ name: 'ONPREM-2-EXTERNAL-API', source: ['ONPREM-NETWORKS'], destination: ['EXTERNAL-API'], services: ['HTTPS'] })),
  },
  {
    code: 'hybridnet/validate/routing/app-bypasses-firewall',
    base: W,
    fail: (t) => (t.azure.appServices[0].integration.routedPrefixes = ['10.20.0.0/16', '192.168.0.0/16']),
    pass: (t) => (t.azure.appServices[0].integration.routedPrefixes = ['10.20.0.0/16', '192.168.0.0/16', '203.0.113.0/24']),
  },
  {
    code: 'hybridnet/validate/routing/firewall-no-egress',
    base: W,
    fail: (t) => (t.azure.firewalls[0].rules[0].connection = 'original-source-ip'),
    pass: (t) => ((t.azure.firewalls[0].publicIp = false), (subnet(t, 'frontend').natGateway = 'nat-frontend')),
  },
  {
    code: 'hybridnet/validate/routing/firewall-bypassed',
    base: W,
    fail: (t) => t.azure.routeTables[0].routes.push({ name: 'onprem-via-fw', prefix: '10.0.0.0/8', nextHop: { virtualAppliance: 'fw-webapp' } }),
    pass: (t) => t.azure.routeTables[0].routes.push({ name: 'onprem-via-fw', prefix: '10.20.0.0/16', nextHop: { virtualAppliance: 'fw-webapp' } }),
  },
  // Network security groups
  { code: 'hybridnet/validate/nsg/gateway-subnet', base: W, fail: (t) => nsg(t, subnet(t, 'GatewaySubnet')), pass: (t) => nsg(t, subnet(t, 'backend')) },
  { code: 'hybridnet/validate/nsg/route-server-subnet', base: B, fail: (t) => nsg(t, subnet(t, 'RouteServerSubnet')), pass: (t) => nsg(t, subnet(t, 'shared-services')) },
  {
    code: 'hybridnet/validate/nsg/priority-taken',
    base: W,
    fail: (t) => nsg(t, subnet(t, 'backend'), [rule('a', 100, 'Inbound'), rule('b', 100, 'Inbound')]),
    pass: (t) => nsg(t, subnet(t, 'backend'), [rule('a', 100, 'Inbound'), rule('b', 100, 'Outbound')]),
  },
  { code: 'hybridnet/validate/nsg/not-in-azure', base: W, fail: (t) => nsg(t, t.testEndpoints[2]), pass: (t) => nsg(t, t.testEndpoints[0]) },
  {
    code: 'hybridnet/validate/nsg/shadowed-rule',
    base: W,
    fail: (t) => nsg(t, subnet(t, 'backend'), [rule('deny-private', 100, 'Inbound', { access: 'Deny', source: ['10.0.0.0/8'] }), rule('allow-aws-https', 200, 'Inbound', { source: ['onprem-aws'], destinationPorts: ['443'] })]),
    pass: (t) => nsg(t, subnet(t, 'backend'), [rule('deny-private', 100, 'Inbound', { access: 'Deny', source: ['10.0.0.0/8'], destinationPorts: ['22'] }), rule('allow-aws-https', 200, 'Inbound', { source: ['onprem-aws'], destinationPorts: ['443'] })]),
  },
  { code: 'hybridnet/validate/intent/icmp-port', base: W, fail: (t) => Object.assign(t.intents[1], { protocol: 'icmp', port: 443 }), pass: (t) => Object.assign(t.intents[1], { protocol: 'icmp' }) },
  // Intents
  { code: 'hybridnet/validate/intent/unreachable', base: W, fail: (t) => (t.azure.appServices[0].integration.routedPrefixes = ['192.168.0.0/16', '203.0.113.0/24']) },
  {
    code: 'hybridnet/validate/intent/bypasses-firewall',
    base: 'webapp-regional',
    fail: (t) => Object.assign(subnet(t, 'backend'), { routeTable: undefined, natGateway: 'nat-backend' }),
    pass: (t) => Object.assign(subnet(t, 'backend'), { natGateway: 'nat-backend' }),
  },
  {
    code: 'hybridnet/validate/intent/asymmetric',
    base: W,
    // The backend sends the branch through the firewall; the branch's replies arrive through GatewaySubnet, whose table does not.
    fail: (t) => backendToBranchViaFirewall(t, false),
    pass: (t) => backendToBranchViaFirewall(t, true),
  },
  {
    code: 'hybridnet/validate/intent/reachable',
    base: W,
    fail: (t) => (isolateSimulatedSite(t), (t.connections[1].azureAddressSpace = ['10.10.0.0/16', '172.16.201.0/24', '10.20.0.0/16'])),
    pass: isolateSimulatedSite,
  },
  { code: 'hybridnet/validate/intent/endpoint', base: W, fail: (t) => t.intents.push({ name: 'to-the-app', kind: 'reach', from: 'vm-backend', to: ['app-webapp-hybrid'] }) },
  // The VPN branch keeps a tunnel to each gateway instance: it survives either; with one tunnel, not instance 0.
  { code: 'hybridnet/validate/intent/not-resilient', base: B, fail: (t) => t.connections[1].tunnels.pop(), pass: (t) => (t.intents[0].survives = [['vgw-hub/0'], ['vgw-hub/1'], ['hub-to-branch-rras/1']]) },
  { code: 'hybridnet/validate/intent/failure-unknown', base: B, fail: (t) => (t.intents[0].survives = [['vgw-hub/2']]), pass: (t) => (t.intents[0].survives = [['vgw-hub/1']]) },
];

function backendToBranchViaFirewall(t: Raw, replyThroughFirewall: boolean): void {
  t.azure.routeTables.push({ name: 'rt-backend', routes: [...t.azure.routeTables[0].routes, { name: 'branch-via-fw', prefix: '10.20.0.0/16', nextHop: { virtualAppliance: 'fw-webapp' } }] });
  subnet(t, 'backend').routeTable = 'rt-backend';
  if (replyThroughFirewall) t.azure.routeTables[0].routes.push({ name: 'backend-via-fw', prefix: '10.10.2.0/24', nextHop: { virtualAppliance: 'fw-webapp' } });
  t.azure.firewalls[0].rules.push({ name: 'AZURE-2-ONPREM', source: ['AZURE-NETWORKS'], destination: ['ONPREM-NETWORKS'] }, { name: 'ONPREM-2-AZURE', source: ['ONPREM-NETWORKS'], destination: ['AZURE-NETWORKS'] });
  t.intents.push({ name: 'backend-to-aws', kind: 'reach', from: 'vm-backend', to: ['ec2-onprem-aws'] });
}

/** The two sites kept apart: the simulated one from an address of the AWS site's LAN (not its test machine, whose security group would refuse it anyway). */
function isolateSimulatedSite(t: Raw): void {
  t.intents.push({ name: 'sites-apart', kind: 'isolate', from: 'vm-onprem-azure', to: ['10.20.1.30'] });
}

describe('validation rules', () => {
  it.each(CASES)('$code is caught', ({ code, base, fail }) => {
    const t = example(base);
    fail(t);
    const diagnostics = validate(t);
    const hit = diagnostics.find((d) => d.code === code);
    expect(hit, diagnostics.map(formatDiagnostic).join('\n') || '(no diagnostics)').toBeDefined();
    expect(hit!.severity).toBe(VALIDATE_CODES[code].severity);
    expect(hit!.hint).toBeTruthy();
    expect(hit!.line).toBeGreaterThan(0);
  });

  it.each(CASES)('$code is not raised by a near miss', ({ code, base, pass }) => {
    const t = example(base);
    pass?.(t);
    const diagnostics = validate(t);
    expect(diagnostics.filter((d) => d.code === code).map(formatDiagnostic)).toEqual([]);
  });

  it('has a case for every code in the catalogue', () => {
    const covered = new Set(CASES.map((c) => c.code));
    expect(Object.keys(VALIDATE_CODES).filter((code) => !covered.has(code as ValidateCode))).toEqual([]);
  });

  it.each([B, 'webapp-regional'] as const)('the %s example validates without any diagnostic', (name) => {
    expect(validate(example(name)).map(formatDiagnostic)).toEqual([]);
  });

  it('the webapp-hybrid example keeps the seed walkthroughs\' shape: only the warning that Azure retires gateway-required integration', () => {
    expect(validate(example(W)).map((d) => `${d.severity} ${d.code} ${d.path.join('.')}`)).toEqual(['warning hybridnet/validate/appservice/gateway-required-retiring azure.appServices.0.integration.type']);
  });

  it.each([
    ['the app\'s routed prefixes omit the API', (t: Raw) => (t.azure.appServices[0].integration.routedPrefixes = ['10.20.0.0/16', '192.168.0.0/16']), 'azure.appServices.0.integration.routedPrefixes'],
    ['GatewaySubnet has no route to the firewall', (t: Raw) => delete subnet(t, 'GatewaySubnet').routeTable, 'azure.appServices.0.integration.routedPrefixes'],
  ])('app traffic that bypasses the firewall is an error when %s', (_, change, path) => {
    const t = example(W);
    change(t);
    const hit = validate(t).filter((d) => d.code === 'hybridnet/validate/routing/app-bypasses-firewall');
    expect(hit.map((d) => d.path.join('.'))).toEqual([path]);
    expect(hit[0]!.message).toContain('203.0.113.0/24');
  });

  it('regional integration without route-all bypasses the firewall toward public space', () => {
    const t = example('webapp-regional');
    t.azure.appServices[0].integration.routeAll = false;
    const hit = validate(t).filter((d) => d.code === 'hybridnet/validate/routing/app-bypasses-firewall');
    expect(hit.map((d) => d.path.join('.'))).toEqual(['azure.appServices.0.integration.routeAll']);
  });

  it('the old web-app shape gives the new positioned errors: VpnGw1AZ in Generation2 first (a hard rule), then no egress and the API outside the routed prefixes (routing)', () => {
    const t = example(W);
    delete t.azure.firewalls[0].publicIp;
    t.azure.appServices[0].integration.routedPrefixes = ['10.20.0.0/16', '192.168.0.0/16'];
    hub(t).vpnGateway.generation = 'Generation2';
    const first = validate(t).filter((d) => d.severity === 'error');
    expect(first.map((d) => d.code)).toEqual(['hybridnet/validate/gateway/sku-generation']);
    expect(first[0]!.hint).toContain('VpnGw1AZ/Generation1');
    delete hub(t).vpnGateway.generation; // derived from the SKU
    const then = validate(t).filter((d) => d.severity === 'error');
    // The example's intents say what breaks: the app's API traffic bypasses the firewall, the backend's gets nowhere.
    expect(then.map((d) => d.code).sort()).toEqual(['hybridnet/validate/intent/bypasses-firewall', 'hybridnet/validate/intent/unreachable', 'hybridnet/validate/routing/app-bypasses-firewall', 'hybridnet/validate/routing/firewall-no-egress']);
    expect([...first, ...then].every((d) => (d.line ?? 0) > 0 && (d.column ?? 0) > 0)).toBe(true);
  });
});

describe('package README', () => {
  it('lists every rule code', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(Object.keys(VALIDATE_CODES).filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});
