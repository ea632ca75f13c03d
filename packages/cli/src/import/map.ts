/**
 * An estate read from Azure (read.ts) as a topology: the inverse of the Bicep generator, element by
 * element, with the names Azure uses and each element's resource id beside it. Pure: estate in,
 * a topology (plain data in the model's shape), its comments and what could not be represented
 * out. Nothing is dropped silently: a resource, or a part of one, that the model cannot hold is
 * listed with its id and why.
 *
 * What Azure does not hold is never invented:
 * - a pre-shared key, a RADIUS secret, an appliance's password become references to environment
 *   variables for the user to fill (the values are never read: Azure gives a key only through
 *   its own sharedkey operation, which import does not call);
 * - a site behind BGP: Azure holds only its router's address, not the ranges it advertises
 *   (learned at run time); the site gets that address as a /32, marked in a comment and counted
 *   in the summary, for the user to replace;
 * - a site's device type: `other`, unless it is another VPN gateway of the estate (a site played
 *   by an Azure VNet);
 * - an appliance's firewall rules live in the appliance: an imported Barracuda has none;
 * - tunnel weights are the site's BGP configuration, not Azure's.
 */
import type { ExpressRouteCircuit, LocalNetworkGateway, NetworkSecurityGroup, RouteTable, SecurityRule, Subnet, VirtualNetwork, VirtualNetworkGateway, VirtualNetworkGatewayConnection } from '@azure/arm-network';
import { appCertificateName } from '@hybridnet/gen-bicep';
import { AppService, Connection, Name, EXPRESSROUTE_GATEWAY_SKUS, ExpressRouteGateway, Firewall, formatAddress, NetworkSecurityGroup as SecurityGroupSchema, NSG_SERVICE_TAGS, parsePrefix, Peering, Route, RouteServer, RouteTable as RouteTableSchema, SecurityRule as SecurityRuleSchema, Site, Subnet as SubnetSchema, Vnet, VPN_GATEWAY_SKUS, VpnGateway, type AzureCloudName } from '@hybridnet/model';
import type { ZodType } from 'zod';
import { parseId, type Estate } from './read.ts';

type Value = string | number | boolean | Value[] | { [key: string]: Value | undefined };
type Obj = { [key: string]: Value | undefined };

export interface Unrepresented {
  readonly id: string;
  readonly what: string;
}

export interface ImportedTopology {
  /** The topology, in the model's shape (keys in any order; the writer puts them in canonical order). */
  readonly topology: Obj;
  /** Comments before elements, by path in the topology. */
  readonly comments: readonly { readonly path: readonly (string | number)[]; readonly text: string }[];
  readonly unrepresented: readonly Unrepresented[];
  /** Environment variables the topology names for secrets Azure holds and import never reads. */
  readonly secrets: readonly string[];
  /** Sites whose ranges Azure does not hold: their router's address stands in, marked. */
  readonly rangesToFill: readonly string[];
}

const lower = (s: string | undefined) => (typeof s === 'string' ? s : '').toLowerCase();
/** A list as the spec declares it, or none: an answer of another shape is not iterated (the schema check then names it). */
const listOf = <T>(x: readonly T[] | undefined): readonly T[] => (Array.isArray(x) ? x : []);
/** The value to check against the schema: what was built, unless Azure's answer was not a list at all. */
const orRaw = <T>(built: T, raw: unknown): T | unknown => (raw === undefined || raw === null || Array.isArray(raw) ? built : raw);
/** The kinds import reads with their own list (read.ts). */
const READ_KINDS = new Set(['virtualNetworks', 'routeTables', 'networkSecurityGroups', 'virtualNetworkGateways', 'localNetworkGateways', 'connections', 'expressRouteCircuits', 'virtualHubs', 'publicIPAddresses', 'natGateways', 'networkInterfaces'].map((t) => `microsoft.network/${t.toLowerCase()}`).concat(['microsoft.web/serverfarms', 'microsoft.web/sites']));
/** The plan SKUs the model takes (its schema is the one table). */
const APP_PLAN_SKUS: readonly string[] = AppService.shape.plan.shape.sku.options;

export function estateToTopology(estate: Estate, options: { readonly name?: string; readonly cloud: AzureCloudName }): ImportedTopology {
  const comments: { path: (string | number)[]; text: string }[] = [];
  const unrepresented: Unrepresented[] = [];
  const secrets: string[] = [];
  const rangesToFill: string[] = [];
  const handled = new Set<string>();
  const take = (id: string | undefined) => id && handled.add(lower(id));
  const drop = (id: string | undefined, what: string) => {
    unrepresented.push({ id: id ?? '(no id)', what });
    take(id);
  };

  // Names: Azure's, where the model takes them; unique per kind (Azure's are unique per group).
  const used = new Map<string, Set<string>>();
  const nameFor = (kind: string, azure: string | undefined, id: string | undefined): string => {
    azure ??= '';
    const set = used.get(kind) ?? used.set(kind, new Set()).get(kind)!;
    let base = Name.safeParse(azure).success ? azure : azure.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/[-.]+$/, '').slice(0, 80) || 'imported';
    if (set.has(base)) base = `${base}-${parseId(id)?.group ?? 'other'}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 80).replace(/[-.]+$/, '');
    let name = base;
    for (let n = 2; set.has(name); n++) name = `${base.slice(0, 76)}-${n}`;
    set.add(name);
    return name;
  };
  const envName = (...parts: string[]) => parts.join('_').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  /**
   * Whether an element fits the model; one that does not (an unknown shape: a field missing, a
   * value the model does not take) is listed with the model's reason instead.
   */
  const fits = (schema: ZodType, value: unknown, id: string | undefined, what: string): boolean => {
    const result = schema.safeParse(value);
    if (result.success) return true;
    const issue = result.error.issues[0]!;
    drop(id, `${what}: an unexpected shape (${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message})`);
    return false;
  };
  const secret = (variable: string) => {
    secrets.push(variable);
    return { env: variable };
  };

  // Indexes by lower-cased id.
  const byId = <T extends { id?: string }>(list: readonly T[]) => new Map(list.map((x) => [lower(x.id), x]));
  const vnetOfSubnet = new Map<string, { vnet: VirtualNetwork; subnet: Subnet }>();
  for (const vnet of estate.vnets) for (const subnet of listOf(vnet.subnets)) vnetOfSubnet.set(lower(subnet.id), { vnet, subnet });
  const publicIps = byId(estate.publicIps);
  const generic = byId(estate.resources);
  const localGateways = byId(estate.localGateways);
  const circuits = byId(estate.circuits);

  // The main region and the groups: where most VNets are.
  const most = (values: string[]) => [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const location = most(estate.vnets.map((v) => v.location ?? '')) ?? 'westeurope';
  // The network's group is where the gateways and connections are (what `verify azure` reads), else where most VNets are.
  const networkGroup = most([...estate.gateways, ...estate.connections].map((x) => parseId(x.id)?.group ?? '')) ?? most(estate.vnets.map((v) => parseId(v.id)?.group ?? '')) ?? estate.groups[0] ?? 'imported';

  // Names each element gets, decided first so references can use them.
  const vnetName = new Map(estate.vnets.map((v) => [lower(v.id), nameFor('vnet', v.name!, v.id!)]));
  const tableName = new Map(estate.routeTables.map((t) => [lower(t.id), nameFor('routeTable', t.name!, t.id!)]));
  const groupName = new Map(estate.securityGroups.map((g) => [lower(g.id), nameFor('nsg', g.name!, g.id!)]));
  const natName = new Map(estate.natGateways.map((g) => [lower(g.id), nameFor('nat', g.name!, g.id!)]));
  const gatewayName = new Map(estate.gateways.map((g) => [lower(g.id), nameFor('gateway', g.name!, g.id!)]));

  // Appliances: NICs with IP forwarding on a Barracuda CloudGen VM (the plan of the VM says so).
  const firewalls: Obj[] = [];
  const applianceByIp = new Map<string, string>();
  for (const nic of estate.nics) {
    if (!nic.enableIPForwarding) continue;
    const config = nic.ipConfigurations?.[0];
    const vmId = nic.virtualMachine?.id;
    const vm = vmId ? generic.get(lower(vmId)) : undefined;
    const at = vnetOfSubnet.get(lower(config?.subnet?.id));
    if (!vm || vm.plan?.publisher !== 'barracudanetworks' || !at || !config?.privateIPAddress) {
      drop(nic.id, `a NIC with IP forwarding at ${config?.privateIPAddress ?? 'no address'}${vm ? ` on VM ${vm.name} (${vm.plan ? `${vm.plan.publisher}/${vm.plan.product}` : 'no Marketplace plan'})` : ''}: hybridnet models appliances as Barracuda CloudGen Firewalls; routes to it are listed too`);
      continue;
    }
    const name = nameFor('firewall', vm.name!, vm.id!);
    applianceByIp.set(config.privateIPAddress, name);
    const pip = config.publicIPAddress?.id;
    take(nic.id);
    take(vm.id);
    take(pip);
    const nsg = nic.networkSecurityGroup?.id;
    const firewall: Obj = {
      name,
      vendor: 'barracuda-cloudgen',
      vnet: vnetName.get(lower(at.vnet.id))!,
      subnet: at.subnet.name!,
      privateIp: config.privateIPAddress,
      ...(vm.plan.name === 'byol' || vm.plan.name === 'cgf-hourly' ? { imageSku: vm.plan.name } : {}),
      ...(pip ? { publicIp: true } : {}),
      adminPassword: secret(envName(name, 'admin', 'password')),
      ...(nsg && groupName.has(lower(nsg)) ? { networkSecurityGroup: groupName.get(lower(nsg))! } : {}),
    };
    if (!fits(Firewall, firewall, vm.id, `appliance ${vm.name}`)) continue;
    comments.push({ path: ['azure', 'firewalls', firewalls.length], text: `${vm.id}\n${nic.id}\nIts forwarding rules live in the appliance, not in Azure: add them (rules, addressGroups).` });
    firewalls.push(firewall);
  }
  // The OS disks of imported appliances go with them (Azure names one <vm>_OsDisk_<n>_<id>).
  for (const r of estate.resources) if (r.type === 'Microsoft.Compute/disks' && firewalls.some((f) => lower(r.name).startsWith(`${lower(String(f.name))}_osdisk`))) take(r.id);

  // Route tables.
  const routeTablesOut: Obj[] = [];
  for (const table of estate.routeTables as RouteTable[]) {
    const routes: Obj[] = [];
    for (const route of listOf(table.routes)) {
      const hop = route.nextHopType;
      if (hop === 'VirtualAppliance') {
        const fw = applianceByIp.get(route.nextHopIpAddress ?? '');
        if (!fw) {
          drop(route.id, `route ${route.name} (${route.addressPrefix} via ${route.nextHopIpAddress}): the next hop is no appliance hybridnet imported`);
          continue;
        }
        const out = { name: route.name!, prefix: route.addressPrefix!, nextHop: { virtualAppliance: fw } };
        if (fits(Route, out, route.id, `route ${route.name} of ${table.name}`)) routes.push(out);
      } else if (hop === 'Internet' || hop === 'VirtualNetworkGateway' || hop === 'VnetLocal' || hop === 'None') {
        const out = { name: route.name!, prefix: route.addressPrefix!, nextHop: hop };
        if (fits(Route, out, route.id, `route ${route.name} of ${table.name}`)) routes.push(out);
      } else drop(route.id, `route ${route.name} (${route.addressPrefix}): next hop type ${hop} (a service tag prefix or an unknown type)`);
    }
    const out: Obj = { name: tableName.get(lower(table.id))!, ...(table.disableBgpRoutePropagation ? { propagateGatewayRoutes: false } : {}), routes: orRaw(routes, table.routes) as Obj[] };
    if (!fits(RouteTableSchema, out, table.id, `route table ${table.name}`)) {
      tableName.delete(lower(table.id));
      continue;
    }
    take(table.id);
    comments.push({ path: ['azure', 'routeTables', routeTablesOut.length], text: table.id! });
    routeTablesOut.push(out);
  }

  // Security groups.
  const securityGroupsOut: Obj[] = [];
  for (const group of estate.securityGroups as NetworkSecurityGroup[]) {
    const rules: Obj[] = [];
    for (const rule of [...listOf(group.securityRules)].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))) {
      const why = unsupportedRule(rule);
      if (why) {
        drop(rule.id, `security rule ${rule.name} of ${group.name}: ${why}`);
        continue;
      }
      const source = rule.sourceAddressPrefixes?.length ? rule.sourceAddressPrefixes : [rule.sourceAddressPrefix!];
      const destination = rule.destinationAddressPrefixes?.length ? rule.destinationAddressPrefixes : [rule.destinationAddressPrefix!];
      const sourcePorts = rule.sourcePortRanges?.length ? rule.sourcePortRanges : [rule.sourcePortRange ?? '*'];
      const destinationPorts = rule.destinationPortRanges?.length ? rule.destinationPortRanges : [rule.destinationPortRange ?? '*'];
      const out: Obj = {
        name: rule.name!,
        ...(rule.description ? { description: rule.description } : {}),
        priority: rule.priority!,
        direction: rule.direction!,
        access: rule.access!,
        protocol: rule.protocol === 'Tcp' || rule.protocol === 'Udp' || rule.protocol === 'Icmp' ? rule.protocol : '*',
        source,
        ...(sourcePorts.length === 1 && sourcePorts[0] === '*' ? {} : { sourcePorts }),
        destination,
        ...(destinationPorts.length === 1 && destinationPorts[0] === '*' ? {} : { destinationPorts }),
      };
      if (fits(SecurityRuleSchema, out, rule.id, `security rule ${rule.name} of ${group.name}`)) rules.push(out);
    }
    const out: Obj = { name: groupName.get(lower(group.id))!, rules: orRaw(rules, group.securityRules) as Obj[] };
    if (!fits(SecurityGroupSchema, out, group.id, `security group ${group.name}`)) {
      groupName.delete(lower(group.id));
      continue;
    }
    take(group.id);
    comments.push({ path: ['azure', 'networkSecurityGroups', securityGroupsOut.length], text: group.id! });
    securityGroupsOut.push(out);
  }

  // VNets and their subnets.
  const vnetsOut = estate.vnets.map((vnet, v): Obj => {
    take(vnet.id);
    comments.push({ path: ['azure', 'vnets', v], text: vnet.id! });
    const subnets: Obj[] = [];
    for (const subnet of listOf(vnet.subnets)) {
      if (!subnet?.name) {
        drop(vnet.id, `a subnet of ${vnet.name} without a name: an unexpected shape`);
        continue;
      }
      const prefixes = subnet.addressPrefix ? [subnet.addressPrefix, ...(subnet.addressPrefixes ?? [])] : (subnet.addressPrefixes ?? []);
      const v4 = prefixes.find((p) => !p.includes(':'));
      const v6 = prefixes.find((p) => p.includes(':'));
      if (!v4) {
        drop(subnet.id, `subnet ${subnet.name} of ${vnet.name}: no IPv4 prefix (an IPAM pool allocation, or IPv6 only)`);
        continue;
      }
      const table = subnet.routeTable?.id;
      const nsg = subnet.networkSecurityGroup?.id;
      const nat = subnet.natGateway?.id;
      const delegation = subnet.delegations?.[0]?.serviceName;
      const out: Obj = { name: subnet.name!, prefix: v4, ...(v6 ? { ipv6Prefix: v6 } : {}) };
      if (table) {
        if (tableName.has(lower(table))) out.routeTable = tableName.get(lower(table))!;
        else drop(table, `route table of subnet ${vnet.name}/${subnet.name}: in a resource group not read`);
      }
      if (nat) {
        if (natName.has(lower(nat))) out.natGateway = natName.get(lower(nat))!;
        else drop(nat, `NAT gateway of subnet ${vnet.name}/${subnet.name}: in a resource group not read`);
      }
      if (nsg) {
        if (groupName.has(lower(nsg))) out.networkSecurityGroup = groupName.get(lower(nsg))!;
        else drop(nsg, `security group of subnet ${vnet.name}/${subnet.name}: in a resource group not read`);
      }
      if (delegation && lower(delegation) === 'microsoft.web/serverfarms') out.delegation = 'Microsoft.Web/serverFarms';
      else if (delegation) drop(subnet.id, `delegation of subnet ${vnet.name}/${subnet.name} to ${delegation}: hybridnet models the delegation to Microsoft.Web/serverFarms only`);
      for (const extra of (subnet.delegations ?? []).slice(1)) drop(subnet.id, `second delegation of subnet ${vnet.name}/${subnet.name} (${extra.serviceName})`);
      if (fits(SubnetSchema, out, subnet.id, `subnet ${vnet.name}/${subnet.name}`)) subnets.push(out);
    }
    return { name: vnetName.get(lower(vnet.id))!, ...(vnet.location && vnet.location !== location ? { location: vnet.location } : {}), addressSpace: orRaw(listOf(vnet.addressSpace?.addressPrefixes), vnet.addressSpace?.addressPrefixes) as string[], subnets: orRaw(subnets, vnet.subnets) as Obj[] };
  });
  // A VNet that does not fit the model is listed; what lives in it then finds no VNet.
  const vnetsKept = vnetsOut.map((out, v) => {
    const vnet = estate.vnets[v]!;
    if (fits(Vnet, out, vnet.id, `VNet ${vnet.name}`)) return true;
    vnetName.delete(lower(vnet.id));
    return false;
  });
  const vnetIndexOf = (id: string | undefined) => estate.vnets.findIndex((v) => lower(v.id) === lower(id));
  const vnetOfGateway = (g: { ipConfigurations?: { subnet?: { id?: string } }[] }) => {
    const id = g.ipConfigurations?.[0]?.subnet?.id;
    return id ? lower(id.slice(0, id.toLowerCase().lastIndexOf('/subnets/'))) : '';
  };

  // NAT gateways: what a subnet names; their public IPs go with them.
  for (const nat of estate.natGateways) {
    take(nat.id);
    for (const ip of nat.publicIpAddresses ?? []) take(ip.id);
    if (!estate.vnets.some((v) => (v.subnets ?? []).some((s) => lower(s.natGateway?.id) === lower(nat.id)))) drop(nat.id, `NAT gateway ${nat.name}: on no subnet hybridnet imported`);
  }

  // Gateways: VPN and ExpressRoute, each in its VNet.
  const apps = estate.apps;
  const appCertificates = new Set(apps.map((a) => appCertificateName(a.site.name!)));
  const vpnByVnet = new Map<string, VirtualNetworkGateway>();
  for (const gw of estate.gateways) {
    const v = vnetIndexOf(vnetOfGateway(gw));
    const vnet = vnetsKept[v] ? vnetsOut[v] : undefined;
    if (!vnet) {
      drop(gw.id, `gateway ${gw.name}: its VNet was not read`);
      continue;
    }
    const sku = gw.sku?.name ?? '';
    for (const c of gw.ipConfigurations ?? []) take(c.publicIPAddress?.id);
    if (gw.gatewayType === 'ExpressRoute') {
      if (!(EXPRESSROUTE_GATEWAY_SKUS as readonly string[]).includes(sku)) {
        drop(gw.id, `ExpressRoute gateway ${gw.name}: SKU ${sku} is not one hybridnet knows`);
        continue;
      }
      const out = { name: gatewayName.get(lower(gw.id))!, sku };
      if (!fits(ExpressRouteGateway, out, gw.id, `ExpressRoute gateway ${gw.name}`)) {
        gatewayName.delete(lower(gw.id));
        continue;
      }
      take(gw.id);
      vnet.expressRouteGateway = out;
      comments.push({ path: ['azure', 'vnets', v, 'expressRouteGateway'], text: gw.id! });
      continue;
    }
    if (gw.gatewayType !== 'Vpn' || !(VPN_GATEWAY_SKUS as readonly string[]).includes(sku)) {
      drop(gw.id, `gateway ${gw.name}: type ${gw.gatewayType}, SKU ${sku} is not one hybridnet knows`);
      continue;
    }
    vpnByVnet.set(vnetOfGateway(gw), gw);
    const configs = (gw.ipConfigurations ?? []).map((c) => lower(c.id));
    const custom = (gw.bgpSettings?.bgpPeeringAddresses ?? []).filter((b) => (b.customBgpIpAddresses ?? []).length > 0).sort((a, b) => configs.indexOf(lower(a.ipconfigurationId)) - configs.indexOf(lower(b.ipconfigurationId)));
    const p2s = gw.vpnClientConfiguration;
    let pointToSite: Obj | undefined;
    if (p2s?.vpnClientAddressPool?.addressPrefixes?.length) {
      const auth = p2s.vpnAuthenticationTypes?.[0] ?? (p2s.radiusServerAddress ? 'Radius' : p2s.aadTenant ? 'AAD' : 'Certificate');
      const tenant = /([0-9a-f-]{36})/i.exec(p2s.aadTenant ?? '')?.[1];
      const authentication: Obj =
        auth === 'Radius' && p2s.radiusServerAddress
          ? { type: 'radius', server: p2s.radiusServerAddress, secret: secret(envName(gw.name!, 'radius', 'secret')) }
          : auth === 'AAD' && tenant && p2s.aadAudience
            ? { type: 'aad', tenantId: tenant, audience: p2s.aadAudience }
            : { type: 'certificate', rootCertificates: (p2s.vpnClientRootCertificates ?? []).filter((c) => !appCertificates.has(c.name ?? '')).map((c) => ({ name: c.name!, publicCertData: c.publicCertData! })) };
      if ((p2s.vpnAuthenticationTypes ?? []).length > 1) drop(gw.id, `point-to-site authentication ${p2s.vpnAuthenticationTypes!.join(' and ')} of ${gw.name}: hybridnet models one; ${String(authentication.type)} imported`);
      pointToSite = { addressPool: p2s.vpnClientAddressPool.addressPrefixes, tunnelTypes: (p2s.vpnClientProtocols ?? ['IkeV2']).map((t) => ({ ikev2: 'IKEv2', sstp: 'SSTP', openvpn: 'OpenVPN' })[lower(t)] ?? t), authentication };
    }
    for (const rule of gw.natRules ?? []) drop(rule.id, `NAT rule ${rule.name} of gateway ${gw.name}: hybridnet does not model gateway NAT`);
    if (gw.customRoutes?.addressPrefixes?.length) drop(gw.id, `custom routes (${gw.customRoutes.addressPrefixes.join(', ')}) of ${gw.name}'s point-to-site clients: not modelled`);
    const out: Obj = {
      name: gatewayName.get(lower(gw.id))!,
      sku,
      ...(gw.vpnGatewayGeneration && gw.vpnGatewayGeneration !== 'None' ? { generation: gw.vpnGatewayGeneration } : {}),
      ...(gw.vpnType && gw.vpnType !== 'RouteBased' ? { vpnType: gw.vpnType } : {}),
      ...(gw.active ? { activeActive: true } : {}),
      ...(gw.enableBgp ? { bgp: { asn: gw.bgpSettings?.asn ?? 65515, ...(custom.length > 0 ? { instances: custom.map((b) => ({ apipa: b.customBgpIpAddresses! })) } : {}) } } : {}),
      ...(pointToSite ? { pointToSite } : {}),
    };
    if (!fits(VpnGateway, out, gw.id, `VPN gateway ${gw.name}`)) {
      gatewayName.delete(lower(gw.id));
      vpnByVnet.delete(vnetOfGateway(gw));
      continue;
    }
    take(gw.id);
    vnet.vpnGateway = out;
    comments.push({ path: ['azure', 'vnets', v, 'vpnGateway'], text: gw.id! });
  }

  // Route Servers: virtual hubs without a Virtual WAN, in a RouteServerSubnet.
  for (const { hub, bgpConnections, ipConfigurations } of estate.hubs) {
    const subnetId = ipConfigurations[0]?.subnet?.id;
    const v = vnetIndexOf(subnetId ? subnetId.slice(0, subnetId.toLowerCase().lastIndexOf('/subnets/')) : undefined);
    if (hub.virtualWan?.id || v < 0 || !vnetsKept[v] || !/\/subnets\/RouteServerSubnet$/i.test(subnetId ?? '')) {
      drop(hub.id, `virtual hub ${hub.name}: ${hub.virtualWan?.id ? 'a Virtual WAN hub' : 'no IP configuration in a RouteServerSubnet hybridnet read'} (hybridnet models Azure Route Server)`);
      continue;
    }
    const routeServer: Obj = {
      name: nameFor('routeServer', hub.name!, hub.id!),
      ...(hub.allowBranchToBranchTraffic ? { branchToBranch: true } : {}),
      ...((hub.hubRoutingPreference ?? 'ExpressRoute') !== 'ExpressRoute' ? { routingPreference: hub.hubRoutingPreference } : {}),
      ...(bgpConnections.length > 0 ? { peers: bgpConnections.map((c) => ({ name: c.name!, peerIp: c.peerIp!, asn: c.peerAsn! })) } : {}),
    };
    if (!fits(RouteServer, routeServer, hub.id, `Route Server ${hub.name}`)) continue;
    take(hub.id);
    for (const c of ipConfigurations) {
      take(c.id);
      take(c.publicIPAddress?.id);
    }
    for (const c of bgpConnections) take(c.id);
    vnetsOut[v]!.routeServer = routeServer;
    comments.push({ path: ['azure', 'vnets', v, 'routeServer'], text: hub.id! });
  }

  // Peerings: both directions of each pair become one peering.
  const peeringsOut: Obj[] = [];
  const seenPairs = new Set<string>();
  for (const vnet of estate.vnets) {
    for (const peering of listOf(vnet.virtualNetworkPeerings)) {
      if (!peering || typeof peering !== 'object') continue;
      if (!vnetName.has(lower(vnet.id))) continue;
      const remote = estate.vnets.find((x) => lower(x.id) === lower(peering.remoteVirtualNetwork?.id) && vnetName.has(lower(x.id)));
      const back = listOf(remote?.virtualNetworkPeerings).find((p) => lower(p.remoteVirtualNetwork?.id) === lower(vnet.id));
      if (!remote || !back) {
        drop(peering.id, `peering ${peering.name} of ${vnet.name}: ${remote ? `${remote.name} has no peering back` : 'the remote VNet was not read'}`);
        continue;
      }
      const pair = [lower(vnet.id), lower(remote.id)].sort().join(' ');
      take(peering.id);
      if (seenPairs.has(pair)) continue;
      seenPairs.add(pair);
      const a = vnetName.get(lower(vnet.id))!;
      const b = vnetName.get(lower(remote.id))!;
      const transit = peering.allowGatewayTransit && back.useRemoteGateways ? a : back.allowGatewayTransit && peering.useRemoteGateways ? b : undefined;
      if (peering.allowForwardedTraffic !== back.allowForwardedTraffic) drop(back.id, `peering ${back.name}: allowForwardedTraffic differs from ${peering.name}'s; imported as ${peering.allowForwardedTraffic ?? false}`);
      const out = { name: nameFor('peering', peering.name!, peering.id!), vnets: [a, b], ...(peering.allowForwardedTraffic === false ? { allowForwardedTraffic: false } : {}), ...(transit ? { gatewayTransitFrom: transit } : {}) };
      if (!fits(Peering, out, peering.id, `peering ${peering.name}`)) continue;
      comments.push({ path: ['azure', 'peerings', peeringsOut.length], text: `${peering.id}\n${back.id}` });
      peeringsOut.push(out);
    }
  }

  // Sites: one per VPN device (local network gateways with the same address are one device), and one per circuit.
  const sitesOut: Obj[] = [];
  const siteOfLng = new Map<string, string>();
  const gatewayByIp = new Map<string, VirtualNetworkGateway>();
  for (const gw of estate.gateways) for (const c of gw.ipConfigurations ?? []) {
    const ip = publicIps.get(lower(c.publicIPAddress?.id))?.ipAddress;
    if (ip) gatewayByIp.set(ip, gw);
  }
  // A site played by another VPN gateway of the estate: two connections, each gateway to a local
  // network gateway at the other's public IP. One is the site's connection, the other its way back
  // (hybridnet builds it from the first): the back one is `<name>-reverse`, else the later name.
  const lngOf = (c: VirtualNetworkGatewayConnection) => localGateways.get(lower(c.localNetworkGateway2?.id));
  const ipsOf = (gatewayId: string) => new Set((estate.gateways.find((g) => lower(g.id) === gatewayId)?.ipConfigurations ?? []).map((x) => publicIps.get(lower(x.publicIPAddress?.id))?.ipAddress).filter(Boolean));
  // A VNet-to-VNet connection is the same: Azure holds one each way, the model one.
  const reverseConnections = new Set<string>();
  const wayBack = new Map<string, string>();
  const reverseLngs = new Set<string>();
  const playedBy = new Map<string, VirtualNetworkGateway>();
  const pair = (c: VirtualNetworkGatewayConnection, back: VirtualNetworkGatewayConnection) => {
    const [primary, reverse] = back.name === `${c.name}-reverse` ? [c, back] : c.name === `${back.name}-reverse` ? [back, c] : (c.name ?? '') <= (back.name ?? '') ? [c, back] : [back, c];
    reverseConnections.add(lower(reverse.id));
    wayBack.set(lower(primary.id), reverse.id!);
    return { primary, reverse };
  };
  for (const c of estate.connections) {
    if (reverseConnections.has(lower(c.id)) || wayBack.has(lower(c.id))) continue;
    const gw1 = lower(c.virtualNetworkGateway1?.id);
    if (c.connectionType === 'Vnet2Vnet') {
      const back = estate.connections.find((d) => d !== c && d.connectionType === 'Vnet2Vnet' && lower(d.virtualNetworkGateway1?.id) === lower(c.virtualNetworkGateway2?.id) && lower(d.virtualNetworkGateway2?.id) === gw1);
      if (back) pair(c, back);
      continue;
    }
    if (c.connectionType !== 'IPsec') continue;
    const played = gatewayByIp.get(lngOf(c)?.gatewayIpAddress ?? '');
    if (!played) continue;
    const mine = ipsOf(gw1);
    const back = estate.connections.find((d) => d !== c && d.connectionType === 'IPsec' && lower(d.virtualNetworkGateway1?.id) === lower(played.id) && mine.has(lngOf(d)?.gatewayIpAddress ?? ''));
    if (!back) continue;
    const { primary, reverse } = pair(c, back);
    reverseLngs.add(lower(reverse.localNetworkGateway2?.id));
    playedBy.set(lower(primary.localNetworkGateway2?.id), played);
  }
  const devices = new Map<string, LocalNetworkGateway[]>();
  for (const lng of estate.localGateways) {
    if (reverseLngs.has(lower(lng.id))) {
      take(lng.id);
      continue;
    }
    const key = lng.gatewayIpAddress ?? lng.fqdn ?? lng.id!;
    devices.set(key, [...(devices.get(key) ?? []), lng]);
  }
  for (const [address, lngs] of devices) {
    const first = lngs[0]!;
    const name = nameFor('site', first.name!, first.id!);
    const prefixes = [...new Set(lngs.flatMap((l) => l.localNetworkAddressSpace?.addressPrefixes ?? []))];
    const bgp = lngs.find((l) => l.bgpSettings?.asn)?.bgpSettings;
    const played = lngs.map((l) => playedBy.get(lower(l.id))).find(Boolean);
    const notes: string[] = lngs.map((l) => l.id!);
    for (const l of lngs) {
      take(l.id);
      siteOfLng.set(lower(l.id), name);
    }
    let device: Obj;
    let hosting: Obj | undefined;
    if (played && vpnByVnet.has(vnetOfGateway(played))) {
      device = { type: 'azure-vpn-gateway', gateway: gatewayName.get(lower(played.id))! };
      hosting = { type: 'azure', vnet: vnetName.get(vnetOfGateway(played))! };
      notes.push(`The VPN gateway ${played.name} plays this site: its VNet is the site.`);
    } else {
      device = { type: 'other', ...(/^\d+\.\d+\.\d+\.\d+$/.test(address) ? { publicIp: address } : {}) };
      notes.push('Device type unknown: Azure does not hold it (rras, barracuda, aws-vpn-gateway or other).');
      if (first.fqdn && !first.gatewayIpAddress) drop(first.id, `local network gateway ${first.name}: addressed by FQDN ${first.fqdn}; the site's public IP is left out`);
    }
    let lan = prefixes.filter((p) => !(bgp?.bgpPeeringAddress && p === `${bgp.bgpPeeringAddress}/32`));
    let advertise = lan;
    if (lan.length === 0 && bgp?.bgpPeeringAddress) {
      lan = [`${bgp.bgpPeeringAddress}/32`];
      advertise = lan;
      rangesToFill.push(name);
      notes.push('Azure holds only the BGP address of this site\'s router: the ranges it advertises are learned at run time. Replace lan and bgp.advertise with the site\'s ranges.');
    } else if (lan.length === 0) {
      drop(first.id, `local network gateway ${first.name}: no address space and no BGP; the site has no ranges`);
      continue;
    }
    const site = { name, lan: [...lan], device, ...(bgp?.asn && bgp.bgpPeeringAddress ? { bgp: { asn: bgp.asn, peerIp: bgp.bgpPeeringAddress.split(',')[0]!, advertise: [...advertise] } } : {}), ...(hosting ? { hosting } : {}) };
    if (!fits(Site, site, first.id, `local network gateway ${first.name}`)) {
      for (const l of lngs) siteOfLng.delete(lower(l.id));
      continue;
    }
    comments.push({ path: ['sites', sitesOut.length], text: notes.join('\n') });
    sitesOut.push(site);
  }
  const circuitSites = new Map<string, string>();
  const circuitSite = (circuitId: string): string | undefined => {
    const known = circuitSites.get(lower(circuitId));
    if (known) return known;
    const circuit: ExpressRouteCircuit | undefined = circuits.get(lower(circuitId));
    const peering = circuit?.peerings?.find((p) => p.peeringType === 'AzurePrivatePeering');
    const prefix = parsePrefix(peering?.primaryPeerAddressPrefix ?? '');
    if (!circuit || !peering?.peerASN || !prefix.ok) return undefined;
    const name = nameFor('site', circuit.name!, circuit.id!);
    const router = formatAddress(prefix.value.first + 1n, 4);
    const site = { name, lan: [`${router}/32`], device: { type: 'other' }, bgp: { asn: peering.peerASN, peerIp: router, advertise: [`${router}/32`] } };
    if (!fits(Site, site, circuit.id, `ExpressRoute circuit ${circuit.name}`)) return undefined;
    take(circuit.id);
    rangesToFill.push(name);
    comments.push({ path: ['sites', sitesOut.length], text: `${circuit.id}\nBehind ExpressRoute (private peering, ${peering.primaryPeerAddressPrefix}): the ranges the site advertises are learned at run time. Replace lan and bgp.advertise with the site's ranges.` });
    sitesOut.push(site);
    circuitSites.set(lower(circuitId), name);
    return name;
  };

  // Connections.
  const connectionsOut: Obj[] = [];
  const added = new Set<string>();
  const addConnection = (c: VirtualNetworkGatewayConnection, out: Obj, comment: string) => {
    if (!fits(Connection, out, c.id, `connection ${c.name}`)) return;
    comments.push({ path: ['connections', connectionsOut.length], text: comment });
    connectionsOut.push(out);
    added.add(lower(c.id));
  };
  /** Its id, the way back's (which hybridnet builds from it), and where its key stays. */
  const keyComment = (c: VirtualNetworkGatewayConnection, name: string) => {
    const back = wayBack.get(lower(c.id));
    return `${c.id}${back ? `\n${back} (the way back, which hybridnet builds from this one)` : ''}\nThe pre-shared key stays in Azure: set ${envName(name, 'psk')} (or use a Key Vault reference).`;
  };
  for (const c of estate.connections) {
    const gw1 = lower(c.virtualNetworkGateway1?.id);
    const name = nameFor('connection', c.name!, c.id!);
    const ipsec = ipsecOf(c);
    const key = () => secret(envName(name, 'psk'));
    if (reverseConnections.has(lower(c.id))) {
      take(c.id);
      take(c.localNetworkGateway2?.id);
      continue;
    }
    if (c.connectionType !== 'IPsec' && c.connectionType !== 'Vnet2Vnet' && c.connectionType !== 'ExpressRoute') {
      drop(c.id, `connection ${c.name}: type ${c.connectionType} (hybridnet models IPsec, Vnet2Vnet and ExpressRoute)`);
      continue;
    }
    if (!gatewayName.has(gw1)) {
      drop(c.id, `connection ${c.name}: its gateway was not read`);
      continue;
    }
    if (c.connectionType === 'IPsec') {
      const site = siteOfLng.get(lower(c.localNetworkGateway2?.id));
      if (!site) {
        drop(c.id, `connection ${c.name}: its local network gateway was not read`);
        continue;
      }
      const configs = (estate.gateways.find((g) => lower(g.id) === gw1)?.ipConfigurations ?? []).map((x) => lower(x.id));
      const tunnels = (c.gatewayCustomBgpIpAddresses ?? []).flatMap((t) => {
        const instance = configs.indexOf(lower(t.ipConfigurationId));
        if (instance >= 0 && instance <= 1) return [{ instance, apipa: t.customBgpIpAddress }];
        drop(c.id, `custom BGP address ${t.customBgpIpAddress} of connection ${c.name}: on ${t.ipConfigurationId}, not an IP configuration of its gateway`);
        return [];
      });
      take(c.id);
      if (c.usePolicyBasedTrafficSelectors || (c.trafficSelectorPolicies ?? []).length > 0) drop(c.id, `traffic selectors of connection ${c.name}: not modelled`);
      if ((c.ingressNatRules ?? []).length + (c.egressNatRules ?? []).length > 0) drop(c.id, `NAT rules on connection ${c.name}: not modelled`);
      addConnection(c, { name, type: 'site-to-site', gateway: gatewayName.get(gw1)!, site, sharedKey: key(), ...(c.connectionProtocol === 'IKEv1' ? { ikeVersion: 'IKEv1' } : {}), ...(ipsec ? { ipsecPolicy: ipsec } : {}), ...(c.enableBgp ? { bgp: true } : {}), ...(tunnels.length > 0 ? { tunnels } : {}) }, keyComment(c, name));
    } else if (c.connectionType === 'Vnet2Vnet') {
      const gw2 = lower(c.virtualNetworkGateway2?.id);
      if (!gatewayName.has(gw2)) {
        drop(c.id, `connection ${c.name}: the other gateway was not read`);
        continue;
      }
      take(c.id);
      addConnection(c, { name, type: 'vnet-to-vnet', gateways: [gatewayName.get(gw1)!, gatewayName.get(gw2)!], sharedKey: key(), ...(ipsec ? { ipsecPolicy: ipsec } : {}), ...(c.enableBgp ? { bgp: true } : {}) }, keyComment(c, name));
    } else {
      const circuitId = c.peer?.id ?? '';
      const site = circuitSite(circuitId);
      if (!site) {
        drop(c.id, `ExpressRoute connection ${c.name} to ${circuitId}: the circuit (its private peering's ASN and addresses) was not read, so the site behind it is unknown`);
        continue;
      }
      take(c.id);
      addConnection(c, { name, type: 'expressroute', gateway: gatewayName.get(gw1)!, site, circuitId, ...(c.routingWeight ? { routingWeight: c.routingWeight } : {}), ...(c.authorizationKey ? { authorizationKey: secret(envName(name, 'authorization', 'key')) } : {}) }, c.id!);
    }
  }
  // The way back of a connection that was not imported is not imported either: listed.
  for (const [primary, back] of wayBack) if (!added.has(primary)) drop(back, `the way back of connection ${estate.connections.find((c) => lower(c.id) === primary)?.name}, which was not imported`);
  for (const circuit of estate.circuits) if (!handled.has(lower(circuit.id))) drop(circuit.id, `ExpressRoute circuit ${circuit.name}: no connection of a gateway hybridnet read uses it`);
  for (const lng of estate.localGateways) if (!estate.connections.some((c) => lower(c.localNetworkGateway2?.id) === lower(lng.id))) unrepresented.push({ id: lng.id!, what: `local network gateway ${lng.name}: no connection uses it (imported as a site)` });

  // App Service apps with VNet integration.
  const appsOut: Obj[] = [];
  const plans = byId(estate.plans);
  for (const { site, vnetConnections, routes } of apps) {
    const plan = plans.get(lower(site.serverFarmId));
    const sku = plan?.sku?.name ?? '';
    const regional = site.virtualNetworkSubnetId ? vnetOfSubnet.get(lower(site.virtualNetworkSubnetId)) : undefined;
    const gatewayRequired = vnetConnections.find((x) => !x.isSwift && x.vnetResourceId);
    if (!plan || !APP_PLAN_SKUS.includes(sku)) {
      drop(site.id, `app ${site.name}: ${plan ? `plan SKU ${sku} is not one hybridnet knows` : 'its plan was not read'}`);
      continue;
    }
    let integration: Obj;
    if (regional) {
      const routeAll = site.outboundVnetRouting?.allTraffic ?? site.siteConfig?.vnetRouteAllEnabled ?? false;
      integration = { type: 'regional', vnet: vnetName.get(lower(regional.vnet.id))!, subnet: regional.subnet.name!, ...(routeAll ? {} : { routeAll: false }) };
    } else if (gatewayRequired && vnetName.has(lower(gatewayRequired.vnetResourceId))) {
      const ranges = (routes.get(gatewayRequired.name!) ?? []).flatMap((r) => rangeToPrefixes(r.startAddress, r.endAddress));
      integration = { type: 'gateway-required', vnet: vnetName.get(lower(gatewayRequired.vnetResourceId))!, ...(ranges.length > 0 ? { routedPrefixes: ranges } : {}) };
    } else {
      drop(site.id, `app ${site.name}: no VNet integration with a VNet hybridnet read`);
      continue;
    }
    const app = { name: site.name!, plan: { name: plan.name!, sku }, integration };
    if (!fits(AppService, app, site.id, `app ${site.name}`)) continue;
    take(site.id);
    take(plan.id);
    comments.push({ path: ['azure', 'appServices', appsOut.length], text: `${site.id}\n${plan.id}` });
    appsOut.push(app);
  }
  for (const p of estate.plans) if (!handled.has(lower(p.id))) drop(p.id, `App Service plan ${p.name}: no app hybridnet imported runs on it`);

  // Every other resource read: listed, never dropped silently.
  for (const r of estate.resources) {
    if (handled.has(lower(r.id))) continue;
    if (r.type === 'Microsoft.Network/publicIPAddresses') {
      const ip = publicIps.get(lower(r.id));
      if (ip?.ipConfiguration?.id && handled.has(lower(ip.ipConfiguration.id.split('/ipConfigurations/')[0]))) continue;
    }
    const what = {
      'Microsoft.Network/networkInterfaces': 'a NIC (a VM\'s: hybridnet imports NICs with IP forwarding as appliances)',
      'Microsoft.Compute/virtualMachines': 'a VM (not an appliance hybridnet models)',
      'Microsoft.Network/publicIPAddresses': 'a public IP not on a gateway, Route Server, NAT gateway or appliance hybridnet imported',
    }[r.type ?? ''] ?? (READ_KINDS.has(lower(r.type)) ? `${r.type}: in the group's list of resources, but not in the list of its kind` : `${r.type}: not a kind hybridnet models`);
    unrepresented.push({ id: r.id!, what: `${r.name}: ${what}` });
  }
  for (const refusal of estate.refused) unrepresented.push({ id: refusal.scope, what: `not read: ${refusal.message}` });

  // What names a VNet that did not fit goes with it (listed); the comments follow the elements kept.
  const keptVnets = new Set(vnetName.values());
  const keep = (list: Obj[], path: readonly string[], keepIt: (x: Obj, i: number) => boolean, why?: (x: Obj) => string): Obj[] => {
    const index: number[] = [];
    const kept = list.filter((x, i) => {
      const ok = keepIt(x, i);
      if (!ok && why) drop(undefined, why(x));
      index.push(ok ? index.filter((n) => n >= 0).length : -1);
      return ok;
    });
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = comments[i]!;
      if (path.every((p, k) => c.path[k] === p)) {
        const n = index[c.path[path.length] as number] ?? -1;
        if (n < 0) comments.splice(i, 1);
        else c.path = [...path, n, ...c.path.slice(path.length + 1)];
      }
    }
    return kept;
  };
  const vnetsFinal = keep(vnetsOut, ['azure', 'vnets'], (_, i) => vnetsKept[i]!);
  const firewallsFinal = keep(firewalls, ['azure', 'firewalls'], (f) => keptVnets.has(String(f.vnet)), (f) => `appliance ${String(f.name)}: its VNet ${String(f.vnet)} was not imported`);

  const multiple = new Set(estate.resources.map((r) => parseId(r.id)?.group).filter(Boolean));
  const appGroup = apps.length > 0 ? parseId(apps[0]!.site.id)?.group : undefined;
  const firewallGroup = firewalls.length > 0 ? parseId(estate.nics.find((n) => n.enableIPForwarding)?.id)?.group : undefined;
  const topology: Obj = {
    hybridnet: 1,
    name: options.name ?? nameFor('topology', estate.groups.length === 0 ? `imported-${estate.subscription.slice(0, 8)}` : networkGroup, ''),
    description: `Imported from Azure subscription ${estate.subscription}${estate.groups.length === 0 ? '' : estate.groups.length > 8 ? `, ${estate.groups.length} resource groups` : `, resource group${estate.groups.length > 1 ? 's' : ''} ${estate.groups.join(', ')}`}.`,
    azure: {
      ...(options.cloud !== 'AzureCloud' ? { cloud: options.cloud } : {}),
      location,
      resourceGroups: { network: networkGroup, ...(firewallGroup && firewallGroup !== networkGroup ? { firewall: firewallGroup } : {}), ...(appGroup && appGroup !== networkGroup ? { app: appGroup } : {}) },
      vnets: vnetsFinal,
      ...(peeringsOut.length > 0 ? { peerings: peeringsOut } : {}),
      ...(routeTablesOut.length > 0 ? { routeTables: routeTablesOut } : {}),
      ...(firewallsFinal.length > 0 ? { firewalls: firewallsFinal } : {}),
      ...(appsOut.length > 0 ? { appServices: appsOut } : {}),
      ...(securityGroupsOut.length > 0 ? { networkSecurityGroups: securityGroupsOut } : {}),
    },
    ...(sitesOut.length > 0 ? { sites: sitesOut } : {}),
    ...(connectionsOut.length > 0 ? { connections: connectionsOut } : {}),
  };
  if (multiple.size > 1) comments.push({ path: ['azure', 'resourceGroups'], text: `The resources came from ${multiple.size} resource groups; each element's id says which. network is where the gateways and connections are (verify azure reads them there); a deploy of this topology puts everything where resourceGroups says.` });
  return { topology, comments, unrepresented, secrets: [...new Set(secrets)], rangesToFill };
}

/** Why a security rule cannot be held by the model, or undefined when it can. */
function unsupportedRule(rule: SecurityRule): string | undefined {
  if (rule.protocol && !['Tcp', 'Udp', 'Icmp', '*'].includes(rule.protocol)) return `protocol ${rule.protocol}`;
  if ((rule.sourceApplicationSecurityGroups ?? []).length + (rule.destinationApplicationSecurityGroups ?? []).length > 0) return 'application security groups';
  const ends = [...(rule.sourceAddressPrefixes?.length ? rule.sourceAddressPrefixes : [rule.sourceAddressPrefix ?? '']), ...(rule.destinationAddressPrefixes?.length ? rule.destinationAddressPrefixes : [rule.destinationAddressPrefix ?? ''])];
  const tag = ends.find((e) => !parsePrefix(e.includes('/') ? e : `${e}/${e.includes(':') ? 128 : 32}`).ok && !(NSG_SERVICE_TAGS as readonly string[]).includes(e));
  return tag !== undefined ? `service tag ${tag || '(empty)'} (hybridnet models VirtualNetwork, Internet, AzureLoadBalancer and *)` : undefined;
}

function ipsecOf(c: VirtualNetworkGatewayConnection): Obj | undefined {
  const p = c.ipsecPolicies?.[0];
  if (!p) return undefined;
  return { ikeEncryption: p.ikeEncryption, ikeIntegrity: p.ikeIntegrity, dhGroup: p.dhGroup, ipsecEncryption: p.ipsecEncryption, ipsecIntegrity: p.ipsecIntegrity, pfsGroup: p.pfsGroup, saLifeTimeSeconds: p.saLifeTimeSeconds, saDataSizeKilobytes: p.saDataSizeKilobytes };
}

/** The prefixes that exactly cover an address range (App Service plan routes are start-end ranges). */
export function rangeToPrefixes(start: string | undefined, end: string | undefined): string[] {
  const a = parsePrefix(`${start}/${start?.includes(':') ? 128 : 32}`);
  const b = parsePrefix(`${end}/${end?.includes(':') ? 128 : 32}`);
  if (!a.ok || !b.ok || a.value.version !== b.value.version) return [];
  const bits = a.value.version === 4 ? 32 : 128;
  const out: string[] = [];
  let first = a.value.first;
  const last = b.value.first;
  while (first <= last) {
    let size = 0;
    while (size < bits && (first & ((1n << BigInt(size + 1)) - 1n)) === 0n && first + (1n << BigInt(size + 1)) - 1n <= last) size++;
    out.push(`${formatAddress(first, a.value.version)}/${bits - size}`);
    first += 1n << BigInt(size);
  }
  return out;
}
