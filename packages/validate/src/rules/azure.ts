/**
 * Phase 2, Azure's hard rules: the dedicated subnets (GatewaySubnet, RouteServerSubnet, App
 * Service integration), what each gateway SKU and type can do, and route tables.
 * Sources: ../shared/reference/azure-rules.md §1 (vpn-gateway-about-vpn-gateway-settings,
 * expressroute-howto-coexist-resource-manager, route-server-faq, overview-vnet-integration).
 */
import type { ModelPath, Subnet, Vnet } from '@hybridnet/model';
import { allowedGatewayPairs, connectionTunnels, VPN_GATEWAY_SKU_TABLE } from '@hybridnet/model';
import { coveredBy, RFC1918, type Context } from '../context.ts';
import { checkNsgs } from './nsg.ts';

const DEDICATED = new Set(['GatewaySubnet', 'RouteServerSubnet']);

function subnetOf(vnet: Vnet, name: string): { subnet: Subnet; index: number } | undefined {
  const index = vnet.subnets.findIndex((s) => s.name === name);
  return index < 0 ? undefined : { subnet: vnet.subnets[index]!, index };
}

export function checkAzureRules(ctx: Context): void {
  checkGatewaySubnets(ctx);
  checkRouteServers(ctx);
  checkDedicatedSubnets(ctx);
  checkAppServices(ctx);
  checkGateways(ctx);
  checkRouteTables(ctx);
  checkRegions(ctx);
  checkNsgs(ctx);
}

function checkGatewaySubnets(ctx: Context): void {
  ctx.topology.azure.vnets.forEach((vnet, v) => {
    if (!vnet.vpnGateway && !vnet.expressRouteGateway) return;
    const base = ['azure', 'vnets', v];
    const found = subnetOf(vnet, 'GatewaySubnet');
    if (!found) {
      const near = vnet.subnets.find((s) => s.name.toLowerCase().replace(/[-_]/g, '') === 'gatewaysubnet');
      ctx.report('hybridnet/validate/subnet/gateway-subnet-missing', [...base, 'subnets'], `VNet "${vnet.name}" has a gateway but no subnet named GatewaySubnet`, near ? `rename "${near.name}" to exactly GatewaySubnet` : 'add a /27 (or larger) subnet named exactly GatewaySubnet');
      return;
    }
    const path = [...base, 'subnets', found.index];
    const length = ctx.prefix(found.subnet.prefix).length;
    const coexist = Boolean(vnet.vpnGateway && vnet.expressRouteGateway);
    // Smaller than /29 is already an address-plan error (subnet-size).
    if (coexist && length > 27) ctx.report('hybridnet/validate/subnet/gateway-subnet-coexistence-size', [...path, 'prefix'], `GatewaySubnet of "${vnet.name}" is /${length}, but VPN and ExpressRoute gateways co-exist there and need /27 or larger`, 'recreate GatewaySubnet as /27 or larger (it cannot be resized while a gateway uses it)');
    else if (length > 27) ctx.report('hybridnet/validate/subnet/gateway-subnet-below-recommended', [...path, 'prefix'], `GatewaySubnet of "${vnet.name}" is /${length}, smaller than the recommended /27`, 'use /27 so later features (coexistence, more instances) fit');
    const table = found.subnet.routeTable ? ctx.index.routeTables.get(found.subnet.routeTable) : undefined;
    if (table) {
      table.value.routes.forEach((route, r) => {
        if (route.prefix === '0.0.0.0/0') ctx.report('hybridnet/validate/subnet/gateway-subnet-default-route', [...table.path, 'routes', r, 'prefix'], `route table "${table.value.name}" on GatewaySubnet of "${vnet.name}" has a 0.0.0.0/0 route; Azure blocks gateway creation with it`, 'remove the default route from the table on GatewaySubnet (use a separate table for workload subnets)');
      });
      if (!table.value.propagateGatewayRoutes) ctx.report('hybridnet/validate/subnet/gateway-subnet-propagation', [...table.path, 'propagateGatewayRoutes'], `route table "${table.value.name}" on GatewaySubnet of "${vnet.name}" disables gateway route propagation; the gateway stops working`, 'set propagateGatewayRoutes: true, or use another table for GatewaySubnet');
    }
  });
}

function checkRouteServers(ctx: Context): void {
  ctx.topology.azure.vnets.forEach((vnet, v) => {
    if (!vnet.routeServer) return;
    const base = ['azure', 'vnets', v];
    const found = subnetOf(vnet, 'RouteServerSubnet');
    if (!found) {
      ctx.report('hybridnet/validate/subnet/route-server-subnet-missing', [...base, 'routeServer'], `Route Server "${vnet.routeServer.name}" needs a subnet named exactly RouteServerSubnet in "${vnet.name}"`, 'add a /26 subnet named RouteServerSubnet');
      return;
    }
    const length = ctx.prefix(found.subnet.prefix).length;
    const path = [...base, 'subnets', found.index];
    if (length > 27) ctx.report('hybridnet/validate/subnet/route-server-subnet-size', [...path, 'prefix'], `RouteServerSubnet of "${vnet.name}" is /${length}; Route Server needs /26`, 'use a /26');
    else if (length === 27) ctx.report('hybridnet/validate/subnet/route-server-subnet-below-recommended', [...path, 'prefix'], `RouteServerSubnet of "${vnet.name}" is /27; current Azure requires /26`, 'use a /26 (a /27 works only for Route Servers created under the older rule)');
    if (found.subnet.routeTable) ctx.report('hybridnet/validate/subnet/route-server-subnet-route-table', [...path, 'routeTable'], `RouteServerSubnet of "${vnet.name}" has route table "${found.subnet.routeTable}"; Route Server does not support one`, 'remove the route table from RouteServerSubnet');
  });
}

/** Nothing else may live in GatewaySubnet, RouteServerSubnet or a delegated subnet. */
function checkDedicatedSubnets(ctx: Context): void {
  const { index, topology } = ctx;
  const occupant = (vnetName: string, subnetName: string, what: string, path: ModelPath) => {
    const subnet = index.subnets.get(vnetName)?.get(subnetName)?.value;
    if (!subnet) return;
    if (DEDICATED.has(subnet.name) || subnet.delegation) {
      ctx.report('hybridnet/validate/subnet/dedicated-subnet-in-use', path, `${what} is placed in "${subnet.name}" of "${vnetName}", which is ${subnet.delegation ? `delegated to ${subnet.delegation}` : 'reserved for its gateway or Route Server'}`, 'put it in an ordinary subnet');
    }
  };
  topology.azure.firewalls.forEach((fw, i) => occupant(fw.vnet, fw.subnet, `firewall "${fw.name}"`, ['azure', 'firewalls', i, 'subnet']));
  topology.testEndpoints.forEach((t, i) => {
    if ('vnet' in t.attach) occupant(t.attach.vnet, t.attach.subnet, `test endpoint "${t.name}"`, ['testEndpoints', i, 'attach', 'subnet']);
  });
  topology.azure.appServices.forEach((app, i) => {
    const integration = app.integration;
    if (integration.type === 'regional' && DEDICATED.has(integration.subnet)) {
      ctx.report('hybridnet/validate/subnet/dedicated-subnet-in-use', ['azure', 'appServices', i, 'integration', 'subnet'], `App Service "${app.name}" integrates into "${integration.subnet}", which is reserved`, 'use a dedicated, delegated integration subnet');
    }
  });
}

/**
 * Names unique worldwide, as Azure will see them (the loader has added azure.uniqueSuffix): an App
 * Service app is at most 60 characters (its host name <app>.azurewebsites.net), a Key Vault 3 to 24
 * (learn.microsoft.com, "Naming rules and restrictions for Azure resources": Microsoft.Web/sites
 * 2-60, Microsoft.KeyVault/vaults 3-24).
 */
function checkUniqueNames(ctx: Context): void {
  const suffix = ctx.topology.azure.uniqueSuffix;
  if (!suffix) return;
  ctx.topology.azure.appServices.forEach((app, i) => {
    if (app.name.length > 60) ctx.report('hybridnet/validate/appservice/unique-name-too-long', ['azure', 'appServices', i, 'name'], `App Service "${app.name}" (with azure.uniqueSuffix "${suffix}") is ${app.name.length} characters; Azure takes at most 60`, 'shorten the app\'s name or the suffix');
  });
  const seen = new Set<string>();
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...path, i]));
    if (value === null || typeof value !== 'object') return;
    const vault = (value as { keyVault?: { vault?: string } }).keyVault?.vault;
    if (typeof vault === 'string' && vault.length > 24 && !seen.has(vault)) {
      seen.add(vault);
      ctx.report('hybridnet/validate/appservice/unique-name-too-long', [...path, 'keyVault', 'vault'], `Key Vault "${vault}" (with azure.uniqueSuffix "${suffix}") is ${vault.length} characters; Azure takes at most 24`, 'shorten the vault\'s name or the suffix');
    }
    for (const [key, inner] of Object.entries(value)) visit(inner, [...path, key]);
  };
  visit(ctx.topology, []);
}

function checkAppServices(ctx: Context): void {
  checkUniqueNames(ctx);
  const { index, topology } = ctx;
  const plansBySubnet = new Map<string, string>();
  topology.azure.appServices.forEach((app, i) => {
    const base = ['azure', 'appServices', i, 'integration'];
    const integration = app.integration;
    const vnet = index.vnets.get(integration.vnet)?.value;
    if (!vnet) return;
    if (integration.type === 'regional') {
      const subnet = index.subnets.get(vnet.name)?.get(integration.subnet)?.value;
      if (!subnet || DEDICATED.has(subnet.name)) return;
      const length = ctx.prefix(subnet.prefix).length;
      if (subnet.delegation !== 'Microsoft.Web/serverFarms') ctx.report('hybridnet/validate/appservice/integration-subnet-delegation', [...base, 'subnet'], `integration subnet "${subnet.name}" of App Service "${app.name}" is not delegated to Microsoft.Web/serverFarms`, 'add delegation: Microsoft.Web/serverFarms to the subnet');
      if (length > 28) ctx.report('hybridnet/validate/appservice/integration-subnet-size', [...base, 'subnet'], `integration subnet "${subnet.name}" is /${length}; App Service needs /28 or larger`, 'use /26 (scaling temporarily doubles address use)');
      else if (length > 26) ctx.report('hybridnet/validate/appservice/integration-subnet-below-recommended', [...base, 'subnet'], `integration subnet "${subnet.name}" is /${length}, smaller than the recommended /26`, 'use /26: /28 leaves room for 5 instances, /27 for 13');
      if (vnet.addressSpace.some((p) => p.includes(':'))) ctx.report('hybridnet/validate/appservice/integration-vnet-ipv6', [...base, 'vnet'], `App Service "${app.name}" integrates into "${vnet.name}", which has IPv6 address space`, 'integrate into a VNet without IPv6, or remove its IPv6 space');
      const key = `${vnet.name}/${subnet.name}`;
      const plan = plansBySubnet.get(key);
      if (plan && plan !== app.plan.name) ctx.report('hybridnet/validate/appservice/integration-subnet-shared', [...base, 'subnet'], `App Service plan "${app.plan.name}" and "${plan}" both integrate into "${key}"; one plan per subnet`, 'give each plan its own integration subnet');
      else plansBySubnet.set(key, app.plan.name);
      return;
    }
    const gateway = vnet.vpnGateway;
    const p2s = gateway?.pointToSite;
    const problems = [
      !gateway && `VNet "${vnet.name}" has no VPN gateway`,
      gateway && gateway.vpnType !== 'RouteBased' && `gateway "${gateway.name}" is policy-based`,
      gateway && !p2s && `gateway "${gateway.name}" has no point-to-site configuration`,
      p2s && !p2s.tunnelTypes.includes('SSTP') && 'point-to-site does not offer SSTP',
      p2s && p2s.authentication.type !== 'certificate' && 'point-to-site does not use certificate authentication',
      p2s && p2s.addressPool.some((pool) => !coveredBy(ctx, pool, RFC1918)) && 'the point-to-site pool is not RFC 1918 space',
    ].filter((x): x is string => typeof x === 'string');
    if (problems.length > 0) ctx.report('hybridnet/validate/appservice/gateway-required-needs-p2s', [...base, 'vnet'], `gateway-required VNet integration of "${app.name}" cannot work: ${problems.join('; ')}`, 'give the VNet a route-based VPN gateway with point-to-site: SSTP, certificate authentication and an RFC 1918 pool');
    // Gateway-required integration connects over SSTP only; with IKEv2 also offered on a gateway
    // other than Basic the app's connection fails (articles/app-service/overview-vnet-integration.md,
    // "Gateway-required virtual network integration").
    if (gateway && gateway.sku !== 'Basic' && p2s?.tunnelTypes.includes('IKEv2')) ctx.report('hybridnet/validate/appservice/gateway-required-ikev2', [...ctx.index.vpnGateways.get(gateway.name)!.path, 'pointToSite', 'tunnelTypes'], `gateway-required VNet integration of "${app.name}" needs SSTP alone on "${gateway.name}", but IKEv2 is enabled`, 'offer only SSTP on this gateway, or move the app to regional VNet integration');
    // Azure retires gateway-required integration in favour of regional integration (same source).
    ctx.report('hybridnet/validate/appservice/gateway-required-retiring', [...base, 'type'], `"${app.name}" uses gateway-required VNet integration, which Azure is retiring (it depends on SSTP point-to-site)`, 'use regional integration: a subnet delegated to Microsoft.Web/serverFarms, with routeAll (see examples/webapp-regional)');
    if (vnet.expressRouteGateway) ctx.report('hybridnet/validate/appservice/gateway-required-with-expressroute', [...base, 'vnet'], `gateway-required VNet integration of "${app.name}" does not work in "${vnet.name}", which has ExpressRoute gateway "${vnet.expressRouteGateway.name}"`, 'use regional VNet integration with a delegated subnet');
  });
}


function checkGateways(ctx: Context): void {
  const { index, topology } = ctx;
  const tunnels = new Map<string, number>();
  const connectionsOf = new Map<string, number>();
  for (const c of topology.connections) {
    if (c.type === 'site-to-site') {
      tunnels.set(c.gateway, (tunnels.get(c.gateway) ?? 0) + connectionTunnels(c, index).length);
      connectionsOf.set(c.gateway, (connectionsOf.get(c.gateway) ?? 0) + 1);
    } else if (c.type === 'vnet-to-vnet') {
      for (const g of c.gateways) {
        tunnels.set(g, (tunnels.get(g) ?? 0) + (index.vpnGateways.get(g)?.value.activeActive ? 2 : 1));
        connectionsOf.set(g, (connectionsOf.get(g) ?? 0) + 1);
      }
    }
  }
  topology.azure.vnets.forEach((vnet, v) => {
    const gateway = vnet.vpnGateway;
    if (!gateway) return;
    const path = ['azure', 'vnets', v, 'vpnGateway'];
    const p2s = gateway.pointToSite;
    const facts = VPN_GATEWAY_SKU_TABLE[gateway.sku];
    if (gateway.generation && !facts.generations.includes(gateway.generation)) {
      ctx.report('hybridnet/validate/gateway/sku-generation', [...path, 'generation'], `gateway "${gateway.name}": ${gateway.sku} does not exist in ${gateway.generation} (Azure answers VirtualNetworkGatewaySkuCannotBeCreatedForSpecifiedVmGeneration)`, `leave generation out to get ${facts.generations.at(-1)}, or pick an allowed pair: ${allowedGatewayPairs().join(', ')}`);
    }
    // MicrosoftDocs/azure-docs articles/vpn-gateway/gateway-sku-consolidation.md: new gateways cannot use VpnGw1-5 (non-AZ) since January 2025.
    if (facts.azEquivalent) ctx.report('hybridnet/validate/gateway/sku-retiring', [...path, 'sku'], `gateway "${gateway.name}" uses ${gateway.sku}, a non-zone-redundant SKU Azure no longer creates gateways with (consolidated into ${facts.azEquivalent})`, `use sku: ${facts.azEquivalent} (same price band, zone-redundant)`);
    const lacking = [
      gateway.bgp && !facts.bgp && 'BGP',
      gateway.activeActive && !facts.activeActive && 'active-active',
      vnet.expressRouteGateway && !facts.expressRouteCoexistence && 'ExpressRoute coexistence',
      p2s?.tunnelTypes.some((t) => t !== 'SSTP') && facts.pointToSite.ikev2OpenVpn === 0 && 'IKEv2/OpenVPN point-to-site',
      p2s?.authentication.type === 'radius' && !facts.radius && 'RADIUS',
      vnet.addressSpace.some((p) => p.includes(':')) && !facts.ipv6 && 'IPv6',
    ].filter((x): x is string => typeof x === 'string');
    for (const feature of lacking) ctx.report('hybridnet/validate/gateway/basic-sku-feature', [...path, 'sku'], `gateway "${gateway.name}" is ${gateway.sku}, which does not support ${feature}`, 'use VpnGw1AZ or larger');
    if (gateway.vpnType === 'PolicyBased') {
      const needRouteBased = [
        p2s && 'point-to-site',
        gateway.bgp && 'BGP',
        gateway.activeActive && 'active-active',
        vnet.expressRouteGateway && 'ExpressRoute coexistence',
        vnet.routeServer && 'Route Server',
        (connectionsOf.get(gateway.name) ?? 0) > 1 && 'more than one connection',
      ].filter((x): x is string => typeof x === 'string');
      for (const feature of needRouteBased) ctx.report('hybridnet/validate/gateway/policy-based-feature', [...path, 'vpnType'], `gateway "${gateway.name}" is policy-based, but ${feature} needs a route-based gateway`, 'use vpnType: RouteBased (the type cannot be changed after creation)');
    }
    const used = tunnels.get(gateway.name) ?? 0;
    const limit = facts.tunnels;
    if (used > limit) ctx.report('hybridnet/validate/gateway/tunnel-budget', [...path, 'sku'], `gateway "${gateway.name}" (${gateway.sku}) would carry ${used} tunnels; the SKU allows ${limit}`, limit === 100 ? 'split the sites across gateways' : 'use VpnGw4AZ or VpnGw5AZ for up to 100 tunnels');
    const instances = gateway.bgp?.instances;
    const expected = gateway.activeActive ? 2 : 1;
    if (instances && instances.length !== expected) ctx.report('hybridnet/validate/gateway/active-active-apipa', [...path, 'bgp', 'instances'], `gateway "${gateway.name}" has ${expected} instance${expected > 1 ? 's' : ''} but custom APIPA addresses for ${instances.length}`, `give exactly ${expected} instances entr${expected > 1 ? 'ies' : 'y'}`);
    const b2b = vnet.routeServer?.branchToBranch;
    const asn = gateway.bgp?.asn ?? 65515;
    if ((vnet.expressRouteGateway || b2b) && asn !== 65515) ctx.report('hybridnet/validate/gateway/coexistence-asn', [...path, 'bgp', 'asn'], `gateway "${gateway.name}" has ASN ${asn}, but ${vnet.expressRouteGateway ? 'ExpressRoute coexistence' : 'Route Server route exchange'} requires 65515`, 'keep the gateway at ASN 65515');
    if (b2b && !gateway.activeActive) ctx.report('hybridnet/validate/gateway/route-server-needs-active-active', [...path, 'activeActive'], `Route Server "${vnet.routeServer!.name}" exchanges routes with gateway "${gateway.name}", which must then be active-active`, 'set activeActive: true on the VPN gateway');
  });
}

/**
 * A route table, security group or NAT gateway lives in one region and serves subnets of VNets in
 * that region only (the generator puts it in the region of the first VNet using it).
 */
function checkRegions(ctx: Context): void {
  const { topology } = ctx;
  const regionOf = (vnet: Vnet) => vnet.location ?? topology.azure.location;
  for (const [kind, what, list] of [['routeTable', 'route table', 'routeTables'], ['networkSecurityGroup', 'security group', 'networkSecurityGroups'], ['natGateway', 'NAT gateway', undefined]] as const) {
    const users = new Map<string, { vnet: Vnet; v: number; s: number }[]>();
    topology.azure.vnets.forEach((vnet, v) => vnet.subnets.forEach((subnet, s) => {
      const name = subnet[kind];
      if (name) users.set(name, [...(users.get(name) ?? []), { vnet, v, s }]);
    }));
    for (const [name, on] of users) {
      const first = on[0]!;
      const other = on.find((u) => regionOf(u.vnet) !== regionOf(first.vnet));
      if (!other) continue;
      const at = list ? ['azure', list, topology.azure[list].findIndex((x) => x.name === name)] : ['azure', 'vnets', other.v, 'subnets', other.s, kind];
      ctx.report('hybridnet/validate/route/region-mismatch', at, `${what} "${name}" is on subnets of "${first.vnet.name}" (${regionOf(first.vnet)}) and "${other.vnet.name}" (${regionOf(other.vnet)}); Azure associates it only with subnets in its own region`, `give the subnets of "${other.vnet.name}" a ${what} of their own`);
    }
  }
}

function checkRouteTables(ctx: Context): void {
  const { index, topology } = ctx;
  const usedBy = new Map<string, { vnet: Vnet; subnet: Subnet }[]>();
  for (const vnet of topology.azure.vnets) {
    for (const subnet of vnet.subnets) if (subnet.routeTable) usedBy.set(subnet.routeTable, [...(usedBy.get(subnet.routeTable) ?? []), { vnet, subnet }]);
  }
  topology.azure.firewalls.forEach((fw, i) => {
    const subnet = index.subnets.get(fw.vnet)?.get(fw.subnet)?.value;
    if (subnet && !coveredBy(ctx, `${fw.privateIp}/32`, [subnet.prefix])) ctx.report('hybridnet/validate/route/appliance-outside-subnet', ['azure', 'firewalls', i, 'privateIp'], `firewall "${fw.name}" address ${fw.privateIp} is outside its subnet "${subnet.name}" (${subnet.prefix})`, `pick an address inside ${subnet.prefix} (not its first four or last)`);
  });
  topology.azure.routeTables.forEach((table, t) => {
    const path = ['azure', 'routeTables', t];
    const users = usedBy.get(table.name) ?? [];
    if (users.length === 0) ctx.report('hybridnet/validate/route/table-unused', path, `route table "${table.name}" is associated with no subnet`, 'set routeTable on the subnets it should steer, or remove it');
    if (table.routes.length > 400) ctx.report('hybridnet/validate/route/table-limit', [...path, 'routes'], `route table "${table.name}" has ${table.routes.length} routes; Azure allows 400`, 'summarise routes or split subnets across tables');
    table.routes.forEach((route, r) => {
      const hop = route.nextHop;
      if (typeof hop === 'object') {
        const fw = index.firewalls.get(hop.virtualAppliance)?.value;
        const own = fw && users.find((u) => u.vnet.name === fw.vnet && u.subnet.name === fw.subnet);
        if (own) ctx.report('hybridnet/validate/route/appliance-in-served-subnet', [...path, 'routes', r, 'nextHop'], `route "${route.name}" sends traffic to firewall "${fw.name}", but its table is on the firewall's own subnet "${fw.subnet}", which loops`, "use another table (or none) on the firewall's subnet");
      } else if (hop === 'VirtualNetworkGateway') {
        const coexist = users.find((u) => u.vnet.vpnGateway && u.vnet.expressRouteGateway);
        if (coexist) ctx.report('hybridnet/validate/route/gateway-next-hop-with-coexistence', [...path, 'routes', r, 'nextHop'], `route "${route.name}" uses next hop VirtualNetworkGateway in "${coexist.vnet.name}", where VPN and ExpressRoute gateways co-exist; Azure does not allow it`, 'let gateway routes propagate instead, or route to an appliance');
      }
    });
  });
}
