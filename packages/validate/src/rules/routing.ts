/**
 * Phase 3, mistakes that deploy fine and fail: read off the route simulation.
 * Sources: ../shared/reference/azure-rules.md §2.2 ("reproducing the four observations"), §5 E.
 */
import { addressGroupPrefixes, connectionTunnels, FIREWALL_BUILTIN_RANGES, firewallRuleConnection, firewallRulePublicDestinations, siteAddressSpace, type ExpressRouteConnection, type Firewall, type SiteToSiteConnection, type Vnet } from '@hybridnet/model';
import { RFC1918, type Context } from '../context.ts';
import { lookup, routeServerExchanges, within, type Simulation } from '../simulate.ts';
import { firewallRulesReached } from '../intents.ts';

export function checkRouting(ctx: Context, simulation: Simulation): void {
  const { index, topology } = ctx;
  topology.connections.forEach((c, i) => {
    if (c.type !== 'site-to-site') return;
    const gateway = index.vpnGateways.get(c.gateway)!;
    const site = index.sites.get(c.site)!.value;
    const path = ['connections', i];
    if (gateway.value.activeActive && connectionTunnels(c, index).length < 2) {
      ctx.report('hybridnet/validate/routing/single-tunnel-to-active-active', [...path, 'tunnels'], `connection "${c.name}" builds one tunnel to active-active gateway "${gateway.value.name}": the other instance forwards through it, and maintenance on that instance drops "${site.name}"`, 'remove tunnels to build one per instance (weight the primary higher)');
    }
    checkSiteLearned(ctx, simulation, c, i);
    checkReturnPath(ctx, simulation, c, i);
  });
  checkTransit(ctx, simulation);
  checkFirewallBypass(ctx, simulation);
  checkFirewallRules(ctx, simulation);
  checkAppThroughFirewall(ctx, simulation);
  checkFirewallEgress(ctx);
  checkRulesReached(ctx);
}

/**
 * A pass rule whose traffic never reaches its firewall can never match: a site that does not route
 * the rule's destination to Azure, a subnet without a route to the firewall. The data plane walks
 * one packet per piece of each source and destination range (intents.ts, firewallRulesReached).
 */
function checkRulesReached(ctx: Context): void {
  const reached = firewallRulesReached(ctx.topology, ctx.index);
  ctx.topology.azure.firewalls.forEach((fw, f) => {
    fw.rules.forEach((rule, r) => {
      if (reached.get(`${fw.name}/${rule.name}`) !== false) return;
      ctx.report('hybridnet/validate/route/firewall-rule-unreachable', ['azure', 'firewalls', f, 'rules', r], `rule "${rule.name}" of firewall "${fw.name}" can never match: traffic from ${rule.source.join(', ')} toward ${rule.destination.join(', ')} never reaches the firewall (no route along the way leads there)`, 'route the destination toward Azure where the traffic starts (a site\'s routes, a route table to the firewall), or remove the rule');
    });
  });
}

/**
 * An app's traffic to a range that the app's VNet sends through a firewall must reach that
 * firewall. Gateway-required integration only sends its VNet and the plan's routed prefixes into
 * the VNet (GatewaySubnet's table then applies); anything else leaves through App Service's own
 * outbound, uninspected.
 */
function checkAppThroughFirewall(ctx: Context, simulation: Simulation): void {
  const { index, topology } = ctx;
  topology.azure.appServices.forEach((app, i) => {
    const vnet = index.vnets.get(app.integration.vnet)?.value;
    const routes = simulation.byName.get(`app-service:${app.name}`)?.routes;
    if (!vnet || !routes) return;
    const inspected = new Map<string, string>();
    for (const subnet of vnet.subnets) {
      const table = subnet.routeTable ? index.routeTables.get(subnet.routeTable)?.value : undefined;
      for (const route of table?.routes ?? []) if (typeof route.nextHop === 'object') inspected.set(route.prefix, route.nextHop.virtualAppliance);
    }
    for (const [prefix, firewall] of inspected) {
      let hop = lookup(routes, prefix);
      if (hop?.hop.kind === 'app-gateway') hop = lookup(simulation.byName.get(`subnet:${vnet.name}/GatewaySubnet`)?.routes ?? [], prefix);
      if (hop?.hop.kind === 'appliance' && hop.hop.firewall === firewall) continue;
      const gatewayRequired = app.integration.type === 'gateway-required';
      ctx.report(
        'hybridnet/validate/routing/app-bypasses-firewall',
        ['azure', 'appServices', i, 'integration', ...(gatewayRequired ? ['routedPrefixes'] : app.integration.type === 'regional' && !app.integration.routeAll ? ['routeAll'] : [])],
        `App Service "${app.name}" reaches ${prefix} through ${hop?.nextHop ?? 'nothing'}, bypassing firewall "${firewall}" that "${vnet.name}" sends ${prefix} to`,
        gatewayRequired
          ? `add ${prefix} to routedPrefixes (the plan's routes decide what enters the VNet) and route it to "${firewall}" in GatewaySubnet's route table`
          : `turn on routeAll and give the integration subnet a route table that sends ${prefix} to "${firewall}"`,
      );
    }
  });
}

/** A pass rule toward public space needs Dynamic NAT and a way out: a public IP on the firewall NIC or a NAT gateway on its subnet. */
function checkFirewallEgress(ctx: Context): void {
  const { index, topology } = ctx;
  topology.azure.firewalls.forEach((fw, f) => {
    const subnet = index.subnets.get(fw.vnet)?.get(fw.subnet)?.value;
    const egress = fw.publicIp || Boolean(subnet?.natGateway);
    fw.rules.forEach((rule, r) => {
      if (rule.action !== 'pass') return;
      const outside = firewallRulePublicDestinations(rule, fw, index).filter((d) => d !== 'Any');
      if (outside.length === 0) return;
      const path = ['azure', 'firewalls', f, 'rules', r];
      if (!egress) ctx.report('hybridnet/validate/routing/firewall-no-egress', [...path, 'destination'], `rule "${rule.name}" of firewall "${fw.name}" passes traffic to ${outside.join(', ')}, but the firewall has no public IP and its subnet "${fw.subnet}" no NAT gateway, so nothing gets out`, `set publicIp: true on "${fw.name}", or natGateway: <name> on subnet "${fw.subnet}"`);
      else if (firewallRuleConnection(rule, fw, index) === 'original-source-ip') ctx.report('hybridnet/validate/routing/firewall-no-egress', [...path, 'connection'], `rule "${rule.name}" of firewall "${fw.name}" sends traffic to ${outside.join(', ')} with its original source address; Azure translates only the firewall's own address, so replies never come back`, 'remove connection (Dynamic NAT is the default toward public space) or set connection: dynamic-nat');
    });
  });
}

/** What a firewall rule entry covers: a group, a built-in object or a literal prefix. */
function entryCovers(ctx: Context, firewall: Firewall, entry: string, prefix: string): boolean {
  const builtin = FIREWALL_BUILTIN_RANGES[entry as keyof typeof FIREWALL_BUILTIN_RANGES];
  if (builtin === 'any') return true;
  if (builtin === 'internet') return !RFC1918.some((r) => within(prefix, r) || within(r, prefix));
  if (builtin) return builtin.some((r) => within(prefix, r));
  const group = firewall.addressGroups.find((g) => g.name === entry);
  if (group) return addressGroupPrefixes(group, ctx.index).some((p) => within(prefix, p));
  return within(prefix, entry);
}

/** Every route to a firewall needs a pass rule for the traffic it sends there. */
function checkFirewallRules(ctx: Context, simulation: Simulation): void {
  const { index, topology } = ctx;
  for (const table of topology.azure.routeTables) {
    const tablePath = index.routeTables.get(table.name)!.path;
    table.routes.forEach((route, r) => {
      if (typeof route.nextHop !== 'object') return;
      const firewall = index.firewalls.get(route.nextHop.virtualAppliance)!.value;
      for (const vnet of topology.azure.vnets) {
        for (const subnet of vnet.subnets.filter((s) => s.routeTable === table.name)) {
          const sources = subnet.name === 'GatewaySubnet' ? arrivingThroughGateways(ctx, simulation, vnet, route.prefix) : [subnet.prefix];
          const dropped = sources.filter((source) => !firewall.rules.some((rule) => rule.action === 'pass' && rule.destination.some((d) => entryCovers(ctx, firewall, d, route.prefix)) && rule.source.some((e) => entryCovers(ctx, firewall, e, source))));
          if (dropped.length === 0) continue;
          ctx.report(
            'hybridnet/validate/routing/firewall-rule-missing',
            [...tablePath, 'routes', r],
            `route "${route.name}" sends traffic for ${route.prefix} from "${vnet.name}/${subnet.name}" to firewall "${firewall.name}", but no pass rule lets ${dropped.join(', ')} reach it; the firewall drops it`,
            `add a pass rule to "${firewall.name}" from ${dropped.join(', ')} (or a group holding them) to ${route.prefix}`,
          );
        }
      }
    });
  }
}

/**
 * What enters a VNet through its gateways toward `destination`: the LANs of the sites that route it
 * to Azure over a connection to those gateways (a site that does not send it never brings it), and
 * the point-to-site pool.
 */
function arrivingThroughGateways(ctx: Context, simulation: Simulation, vnet: Vnet, destination: string): string[] {
  const gateways = [vnet.vpnGateway?.name, vnet.expressRouteGateway?.name].filter(Boolean);
  const connections = ctx.topology.connections.filter((c): c is SiteToSiteConnection | ExpressRouteConnection => c.type !== 'vnet-to-vnet' && gateways.includes(c.gateway));
  const sites = connections.filter((c) => {
    const route = lookup(simulation.byName.get(`site:${c.site}`)?.routes ?? [], destination);
    return route !== undefined && connections.some((x) => x.name === route.source);
  }).flatMap((c) => ctx.index.sites.get(c.site)?.value.lan ?? []);
  return [...new Set([...sites, ...(vnet.vpnGateway?.pointToSite?.addressPool ?? [])])];
}

/** Azure must learn every LAN range of a BGP site from something other than the peer host route. */
function checkSiteLearned(ctx: Context, simulation: Simulation, c: SiteToSiteConnection, i: number): void {
  const site = ctx.index.sites.get(c.site)!.value;
  if (!c.bgp || !site.bgp) return;
  const rib = simulation.byName.get(`vpn-gateway:${c.gateway}`)?.routes ?? [];
  const learned = rib.filter((r) => r.source === c.name && (r.origin === 'ebgp' || r.origin === 'lng-static')).map((r) => r.prefix);
  const unknown = site.lan.filter((lan) => !learned.some((p) => within(lan, p)));
  if (unknown.length === 0) return;
  const onlyHost = site.bgp.advertise.every((p) => p.endsWith('/32') || p.endsWith('/128'));
  ctx.report(
    'hybridnet/validate/routing/site-advertises-only-host',
    ['sites', ctx.topology.sites.indexOf(site), 'bgp', 'advertise'],
    `Azure never learns ${unknown.join(', ')} of site "${site.name}": ${onlyHost ? 'the site advertises only host addresses, and' : 'nothing covers it, and'} the host route to the BGP peer stays inside the VPN gateway, so the VNets, ExpressRoute and other sites cannot reach the site`,
    `advertise the site's LAN ranges (${site.lan.join(', ')}) from its router`,
  );
}

/** Every site behind a gateway with a point-to-site pool must route the pool back to Azure. */
function checkReturnPath(ctx: Context, simulation: Simulation, c: SiteToSiteConnection, i: number): void {
  const pools = ctx.index.vpnGateways.get(c.gateway)?.value.pointToSite?.addressPool ?? [];
  if (pools.length === 0) return;
  const toAzure = (simulation.byName.get(`site:${c.site}`)?.routes ?? []).filter((r) => r.source === c.name).map((r) => r.prefix);
  const missing = pools.filter((pool) => !toAzure.some((p) => within(pool, p)));
  if (missing.length === 0) return;
  ctx.report(
    'hybridnet/validate/routing/p2s-return-path',
    ['connections', i, ...(c.azureAddressSpace ? ['azureAddressSpace'] : [])],
    `site "${c.site}" has no route back to the point-to-site pool ${missing.join(', ')} of "${c.gateway}", so point-to-site clients (App Service gateway-required integration included) never get replies`,
    c.bgp ? 'let the gateway advertise the pool (simulation.vpnGatewayAdvertisesPointToSitePool) or add it to azureAddressSpace' : 'add the pool to azureAddressSpace, or remove azureAddressSpace to derive it',
  );
}

/** ExpressRoute branches and VPN branches of one VNet reach each other only through Route Server. */
function checkTransit(ctx: Context, simulation: Simulation): void {
  ctx.topology.azure.vnets.forEach((vnet, v) => {
    if (!vnet.vpnGateway || !vnet.expressRouteGateway) return;
    const erSites = ctx.topology.connections.filter((c) => c.type === 'expressroute' && c.gateway === vnet.expressRouteGateway!.name).map((c) => (c as { site: string }).site);
    const vpnConnections = ctx.topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && c.gateway === vnet.vpnGateway!.name);
    if (erSites.length === 0 || vpnConnections.length === 0 || routeServerExchanges(vnet)) return;
    const erRoutes = simulation.byName.get(`expressroute-gateway:${vnet.expressRouteGateway.name}`)?.routes ?? [];
    const unreachable = vpnConnections.filter((c) => siteAddressSpace(c, ctx.index).concat(ctx.index.sites.get(c.site)!.value.lan).some((lan) => !erRoutes.some((r) => within(lan, r.prefix))));
    const vpnRoutes = simulation.byName.get(`vpn-gateway:${vnet.vpnGateway.name}`)?.routes ?? [];
    const erUnreachable = erSites.filter((s) => ctx.index.sites.get(s)!.value.lan.some((lan) => !vpnRoutes.some((r) => within(lan, r.prefix))));
    if (unreachable.length === 0 && erUnreachable.length === 0) return;
    ctx.report(
      'hybridnet/validate/routing/er-vpn-transit-needs-route-server',
      ['azure', 'vnets', v, ...(vnet.routeServer ? ['routeServer', 'branchToBranch'] : [])],
      `in "${vnet.name}" the ExpressRoute site${erSites.length > 1 ? 's' : ''} ${erSites.map((s) => `"${s}"`).join(', ')} and the VPN site${vpnConnections.length > 1 ? 's' : ''} ${vpnConnections.map((c) => `"${c.site}"`).join(', ')} cannot reach each other: the VPN gateway never learns ExpressRoute routes without Route Server`,
      vnet.routeServer ? 'set branchToBranch: true (with an active-active VPN gateway at ASN 65515)' : 'add a Route Server (RouteServerSubnet /26) with branchToBranch: true',
    );
  });
}

/** A UDR to a firewall loses to more specific gateway routes inside its prefix. */
function checkFirewallBypass(ctx: Context, simulation: Simulation): void {
  for (const set of simulation.sets) {
    if (set.kind !== 'subnet') continue;
    const toFirewall = set.routes.filter((r) => r.active && r.origin === 'udr' && r.hop.kind === 'appliance');
    if (toFirewall.length === 0) continue; // most subnets: no list of gateway routes made for nothing
    const gatewayRoutes = set.routes.filter((r) => r.active && r.origin !== 'udr' && r.origin !== 'system');
    for (const udr of toFirewall) {
      const bypass = gatewayRoutes.filter((r) => r.prefix !== udr.prefix && within(r.prefix, udr.prefix));
      if (bypass.length === 0) continue;
      const table = ctx.index.routeTables.get(udr.source)!;
      const r = table.value.routes.findIndex((x) => x.prefix === udr.prefix);
      ctx.report(
        'hybridnet/validate/routing/firewall-bypassed',
        [...table.path, 'routes', r],
        `in subnet "${set.name}" traffic for ${bypass.map((b) => b.prefix).join(', ')} bypasses the firewall: gateway routes more specific than ${udr.prefix} win over the route to it`,
        `add routes for ${bypass.map((b) => b.prefix).join(', ')} to the firewall, or give the workload subnets a table with propagateGatewayRoutes: false (never GatewaySubnet)`,
      );
    }
  }
}

