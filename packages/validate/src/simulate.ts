/**
 * Route propagation simulation: what each VPN gateway, ExpressRoute gateway, Route Server, site
 * and subnet learns (prefix, next hop, origin), following ../shared/reference/azure-rules.md §2:
 *
 * - a VPN gateway holds its VNets (and spokes using it through peering), its point-to-site pool,
 *   the static prefixes of each local network gateway, the internal host route to each BGP peer
 *   (never passed on), and the routes its eBGP peers advertise (exact VNet prefixes dropped);
 * - VNet-to-VNet connections with BGP pass routes on (transit), without BGP only the two VNets;
 * - a co-existing ExpressRoute gateway learns the VPN gateway's eBGP routes one way, never the
 *   peer host route (and static prefixes only if `simulation.expressRouteLearnsStaticVpnRoutes`);
 * - Route Server with branch-to-branch (and an active-active, ASN 65515 VPN gateway) exchanges
 *   routes between both gateways over iBGP; it never carries the point-to-site pool;
 * - subnets get their VNet and peered VNets as system routes, Azure's reserved ranges with next
 *   hop None (model: data/azure-system-routes.ts), gateway routes unless their route table turns
 *   propagation off (system routes win over gateway routes inside VNet space; beside an
 *   ExpressRoute gateway the BGP peer host route does not reach them), and their UDRs; for one
 *   prefix a UDR beats ExpressRoute, which beats VPN, which beats system;
 * - an App Service app with gateway-required integration sends into the VNet only its VNet's
 *   address space and the plan's routed prefixes, over point-to-site: they arrive through the
 *   gateway, where GatewaySubnet's route table applies; everything else leaves through App
 *   Service's own Internet outbound, and route tables never see it. With regional integration
 *   and route-all, all its traffic follows the integration subnet's effective routes; without
 *   route-all only RFC 1918 traffic does (articles/app-service/overview-vnet-integration.md,
 *   "Routes" and "Gateway-required virtual network integration").
 */
import { azureAddressSpace, siteAddressSpace, vnetsBehindGateway, type ExpressRouteConnection, type ModelPath, type Peering, type Site, type SiteToSiteConnection, type Topology, type TopologyIndex, type Vnet, type VnetToVnetConnection } from '@hybridnet/model';
import { contains, noneRoutes, parsePrefix, type Prefix } from '@hybridnet/model';
import { RFC1918 } from './context.ts';

export type RouteOrigin = 'vnet' | 'peered-vnet' | 'p2s-pool' | 'lng-static' | 'bgp-peer-host' | 'ebgp' | 'vnet-to-vnet' | 'expressroute' | 'static' | 'udr' | 'system' | 'app-route';

/**
 * A route's next hop, typed: what the data plane and `verify azure` read. `SimRoute.nextHop` is
 * its text (`nextHopText`), for printing only.
 */
export type NextHop =
  | { readonly kind: 'vnet-local' }
  | { readonly kind: 'vnet-peering' }
  | { readonly kind: 'p2s-clients' }
  | { readonly kind: 'tunnel'; readonly connection: string }
  | { readonly kind: 'bgp'; readonly connection: string; readonly asn: number }
  | { readonly kind: 'expressroute'; readonly connection: string }
  /** Across Route Server or from the co-existing gateway: the VPN gateway, or the ExpressRoute gateway. */
  | { readonly kind: 'vpn-gateway'; readonly gateway: string }
  | { readonly kind: 'expressroute-gateway'; readonly gateway: string }
  /** A subnet's gateway route (the gateway that taught it), or a UDR naming VirtualNetworkGateway (no gateway). */
  | { readonly kind: 'virtual-network-gateway'; readonly gateway?: string }
  /** An App Service app's traffic into its VNet over point-to-site. */
  | { readonly kind: 'app-gateway' }
  | { readonly kind: 'appliance'; readonly firewall: string; readonly address?: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'internet' }
  | { readonly kind: 'app-internet' }
  | { readonly kind: 'internet-gateway' };

/** The text of a next hop, as `hybridnet routes` and the report print it. */
export function nextHopText(hop: NextHop): string {
  switch (hop.kind) {
    case 'vnet-local':
      return 'VnetLocal';
    case 'vnet-peering':
      return 'VNetPeering';
    case 'p2s-clients':
      return 'point-to-site clients';
    case 'tunnel':
      return `tunnel ${hop.connection}`;
    case 'bgp':
      return `BGP ${hop.connection} (AS ${hop.asn})`;
    case 'expressroute':
      return `ExpressRoute ${hop.connection}`;
    case 'vpn-gateway':
      return `VPN gateway ${hop.gateway}`;
    case 'expressroute-gateway':
      return `ExpressRoute gateway ${hop.gateway}`;
    case 'virtual-network-gateway':
      return hop.gateway ? `VirtualNetworkGateway (${hop.gateway})` : 'VirtualNetworkGateway';
    case 'app-gateway':
      return APP_ENTERS_GATEWAY;
    case 'appliance':
      return `VirtualAppliance ${hop.address ?? '?'} (${hop.firewall})`;
    case 'none':
      return 'None';
    case 'internet':
      return 'Internet';
    case 'app-internet':
      return 'Internet (App Service outbound)';
    case 'internet-gateway':
      return INTERNET_GATEWAY;
  }
}

/** A route's next hop, typed and as text. */
export const via = (hop: NextHop): { readonly hop: NextHop; readonly nextHop: string } => ({ hop, nextHop: nextHopText(hop) });

export interface SimRoute {
  readonly prefix: string;
  readonly hop: NextHop;
  /** The next hop as text (nextHopText(hop)), for printing. */
  readonly nextHop: string;
  readonly origin: RouteOrigin;
  /** The connection, VNet, gateway or route table the route comes from. */
  readonly source: string;
  /** Set when the node learned the route from another node (re-advertisement). */
  readonly learnedFrom?: string;
  /** In a subnet: whether this is the route used for its prefix. */
  readonly active?: boolean;
}

export interface RouteSet {
  readonly kind: 'vpn-gateway' | 'expressroute-gateway' | 'route-server' | 'site' | 'subnet' | 'app-service';
  readonly name: string;
  readonly path: ModelPath;
  readonly routes: SimRoute[];
}

export interface Simulation {
  readonly sets: RouteSet[];
  readonly byName: ReadonlyMap<string, RouteSet>;
}

const FORWARDED: ReadonlySet<RouteOrigin> = new Set(['lng-static', 'ebgp', 'vnet-to-vnet', 'expressroute']);

function bgpUp(c: SiteToSiteConnection, index: TopologyIndex): boolean {
  return c.bgp && Boolean(index.vpnGateways.get(c.gateway)?.value.bgp) && Boolean(index.sites.get(c.site)?.value.bgp);
}

/** A host route to an address: /32, or /128 for IPv6. */
export function hostRoute(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

/** Whether Route Server exchanges routes with the gateways of a VNet. */
export function routeServerExchanges(vnet: Vnet): boolean {
  const gateway = vnet.vpnGateway;
  return Boolean(vnet.routeServer?.branchToBranch && (!gateway || (gateway.activeActive && (gateway.bgp?.asn ?? 65515) === 65515)));
}

const simulations = new WeakMap<Topology, Simulation>();

/** The simulation of a topology; computed once per topology object (validation and generators share it). */
export function simulateRoutes(topology: Topology, index: TopologyIndex): Simulation {
  let simulation = simulations.get(topology);
  if (!simulation) {
    simulation = simulate(topology, index);
    simulations.set(topology, simulation);
  }
  return simulation;
}

/**
 * What the gateways, Route Servers and sites learn. `learned` holds each VPN gateway's routes as
 * its sites, Route Server and ExpressRoute gateway see them; `vpn` adds what a site played by the
 * gateway routes toward Azure (the same array when it plays none).
 */
export interface ControlPlane {
  readonly learned: ReadonlyMap<string, SimRoute[]>;
  readonly vpn: ReadonlyMap<string, SimRoute[]>;
  readonly exr: ReadonlyMap<string, SimRoute[]>;
  readonly routeServers: ReadonlyMap<string, RouteSet>;
  readonly sites: ReadonlyMap<string, RouteSet>;
}

/**
 * The nodes to work out again, from `base` for the rest (failure analysis, ./incremental.ts). A
 * scope is closed: every node whose routes depend on one in it is in it too.
 */
export interface Scope {
  readonly vpn: ReadonlySet<string>;
  readonly exr: ReadonlySet<string>;
  readonly sites: ReadonlySet<string>;
  readonly base: ControlPlane;
}

/** A topology's connections by gateway and by site, its peerings by VNet: looked up per node, built once. */
interface Lookups {
  readonly s2sByGateway: Map<string, SiteToSiteConnection[]>;
  readonly s2sBySite: Map<string, SiteToSiteConnection[]>;
  readonly erByGateway: Map<string, ExpressRouteConnection[]>;
  readonly erBySite: Map<string, ExpressRouteConnection[]>;
  readonly v2vByGateway: Map<string, VnetToVnetConnection[]>;
}

function lookups(connections: Topology['connections']): Lookups {
  const out: Lookups = { s2sByGateway: new Map(), s2sBySite: new Map(), erByGateway: new Map(), erBySite: new Map(), v2vByGateway: new Map() };
  const add = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const c of connections) {
    if (c.type === 'site-to-site') add(out.s2sByGateway, c.gateway, c), add(out.s2sBySite, c.site, c);
    else if (c.type === 'expressroute') add(out.erByGateway, c.gateway, c), add(out.erBySite, c.site, c);
    else for (const g of new Set(c.gateways)) add(out.v2vByGateway, g, c);
  }
  return out;
}

export function controlPlane(topology: Topology, index: TopologyIndex, scope?: Scope): ControlPlane {
  const { connections } = topology;
  const by = lookups(connections);
  const inVpn = (name: string) => !scope || scope.vpn.has(name);
  const inExr = (name: string) => !scope || scope.exr.has(name);
  const learned = new Map<string, SimRoute[]>(scope?.base.learned);
  const exr = new Map<string, SimRoute[]>(scope?.base.exr);

  for (const [name, entry] of index.vpnGateways) {
    if (!inVpn(name)) continue;
    const gateway = entry.value;
    const behind = vnetsBehindGateway(entry.vnet, topology, index);
    const vnetPrefixes = new Set(behind.flatMap((v) => v.addressSpace));
    const rib: SimRoute[] = behind.flatMap((v, i) => v.addressSpace.map((prefix) => ({ prefix, ...via({ kind: i === 0 ? 'vnet-local' : 'vnet-peering' }), origin: i === 0 ? ('vnet' as const) : ('peered-vnet' as const), source: v.name })));
    for (const prefix of gateway.pointToSite?.addressPool ?? []) rib.push({ prefix, ...via({ kind: 'p2s-clients' }), origin: 'p2s-pool', source: name });
    for (const c of by.s2sByGateway.get(name) ?? []) {
      const site = index.sites.get(c.site)!.value;
      for (const prefix of siteAddressSpace(c, index)) rib.push({ prefix, ...via({ kind: 'tunnel', connection: c.name }), origin: 'lng-static', source: c.name });
      if (bgpUp(c, index)) {
        rib.push({ prefix: hostRoute(site.bgp!.peerIp), ...via({ kind: 'tunnel', connection: c.name }), origin: 'bgp-peer-host', source: c.name });
        for (const prefix of site.bgp!.advertise) if (!vnetPrefixes.has(prefix)) rib.push({ prefix, ...via({ kind: 'bgp', connection: c.name, asn: site.bgp!.asn }), origin: 'ebgp', source: c.name });
      }
    }
    for (const c of by.v2vByGateway.get(name) ?? []) {
      const other = index.vpnGateways.get(c.gateways[0] === name ? c.gateways[1] : c.gateways[0]);
      if (!other) continue;
      for (const v of vnetsBehindGateway(other.vnet, topology, index)) for (const prefix of v.addressSpace) rib.push({ prefix, ...via({ kind: 'tunnel', connection: c.name }), origin: 'vnet-to-vnet', source: c.name });
    }
    learned.set(name, rib);
  }

  // Transit over VNet-to-VNet connections with BGP, until nothing new is learned (within a scope:
  // its gateways, which hold every gateway such a connection joins to one of them).
  const transit = connections.filter((c): c is VnetToVnetConnection => c.type === 'vnet-to-vnet' && c.bgp && inVpn(c.gateways[0]) && inVpn(c.gateways[1]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of transit) {
      for (const [from, to] of [c.gateways, [c.gateways[1], c.gateways[0]]] as const) {
        const source = learned.get(from);
        const target = learned.get(to);
        if (!source || !target) continue;
        const known = new Set(target.map((r) => r.prefix));
        for (const r of source) {
          if ((r.origin === 'lng-static' || r.origin === 'ebgp') && !known.has(r.prefix)) {
            target.push({ ...r, ...via({ kind: 'tunnel', connection: c.name }), learnedFrom: r.learnedFrom ?? from });
            known.add(r.prefix);
            changed = true;
          }
        }
      }
    }
  }

  for (const [name, entry] of index.expressRouteGateways) {
    if (!inExr(name)) continue;
    const rib: SimRoute[] = [];
    for (const c of by.erByGateway.get(name) ?? []) {
      const site = index.sites.get(c.site)!.value;
      for (const prefix of site.bgp?.advertise ?? site.lan) rib.push({ prefix, ...via({ kind: 'expressroute', connection: c.name }), origin: 'expressroute', source: c.name });
    }
    exr.set(name, rib);
    const vpnName = entry.vnet.vpnGateway?.name;
    const vpnRib = vpnName ? learned.get(vpnName) : undefined;
    if (!vpnName || !vpnRib) continue;
    if (routeServerExchanges(entry.vnet)) {
      // iBGP through Route Server, both ways; never the point-to-site pool or peer host routes.
      const fromVpn = vpnRib.filter((r) => r.origin === 'lng-static' || r.origin === 'ebgp' || r.origin === 'vnet-to-vnet');
      const fromEr = rib.filter((r) => r.origin === 'expressroute');
      for (const r of fromVpn) rib.push({ ...r, ...via({ kind: 'vpn-gateway', gateway: vpnName }), learnedFrom: entry.vnet.routeServer!.name });
      for (const r of fromEr) vpnRib.push({ ...r, ...via({ kind: 'expressroute-gateway', gateway: name }), learnedFrom: entry.vnet.routeServer!.name });
    } else {
      const learnsStatic = topology.simulation.expressRouteLearnsStaticVpnRoutes;
      for (const r of vpnRib) if (r.origin === 'ebgp' || (learnsStatic && r.origin === 'lng-static')) rib.push({ ...r, ...via({ kind: 'vpn-gateway', gateway: vpnName }), learnedFrom: vpnName });
    }
  }

  const routeServers = new Map<string, RouteSet>(scope?.base.routeServers);
  for (const [name, entry] of index.routeServers) {
    const vnet = entry.vnet;
    if (scope && !scope.vpn.has(vnet.vpnGateway?.name ?? '') && !scope.exr.has(vnet.expressRouteGateway?.name ?? '') && routeServers.has(name)) continue;
    const routes = routeServerExchanges(vnet)
      ? [...(learned.get(vnet.vpnGateway?.name ?? '') ?? []).filter((r) => FORWARDED.has(r.origin) && r.origin !== 'expressroute'), ...(exr.get(vnet.expressRouteGateway?.name ?? '') ?? []).filter((r) => r.origin === 'expressroute')].map((r) => ({ ...r, learnedFrom: r.learnedFrom ?? r.source }))
      : [];
    routeServers.set(name, { kind: 'route-server', name, path: entry.path, routes });
  }
  if (scope) for (const name of scope.base.routeServers.keys()) if (!index.routeServers.has(name)) routeServers.delete(name);

  const sites = new Map<string, RouteSet>(scope?.base.sites);
  topology.sites.forEach((site, i) => {
    if (!scope || scope.sites.has(site.name)) sites.set(site.name, siteRoutes(topology, index, site, i, by, learned, exr));
  });

  // A site simulated by an Azure VPN gateway: that gateway holds what the site routes toward Azure.
  const vpn = new Map<string, SimRoute[]>(scope?.base.vpn);
  for (const name of index.vpnGateways.keys()) if (inVpn(name)) vpn.set(name, learned.get(name)!);
  for (const site of topology.sites) {
    if (site.device.type !== 'azure-vpn-gateway' || !inVpn(site.device.gateway)) continue;
    const gateway = site.device.gateway;
    const rib = vpn.get(gateway);
    if (!rib) continue;
    const handed = sites.get(site.name)!.routes.map((r): SimRoute => ({ prefix: r.prefix, ...via({ kind: 'tunnel', connection: r.source }), origin: r.origin === 'static' ? 'lng-static' : 'ebgp', source: r.source }));
    vpn.set(gateway, rib === learned.get(gateway) ? [...rib, ...handed] : (rib.push(...handed), rib));
  }
  return { learned, vpn, exr, routeServers, sites };
}

function simulate(topology: Topology, index: TopologyIndex): Simulation {
  const plane = controlPlane(topology, index);
  const sets: RouteSet[] = [];
  for (const [name, entry] of index.vpnGateways) sets.push({ kind: 'vpn-gateway', name, path: entry.path, routes: plane.vpn.get(name)! });
  for (const [name, entry] of index.expressRouteGateways) sets.push({ kind: 'expressroute-gateway', name, path: entry.path, routes: plane.exr.get(name)! });
  sets.push(...plane.routeServers.values(), ...plane.sites.values());
  const subnets = new SubnetRoutes(topology, index, plane);
  const subnetSets = topology.azure.vnets.flatMap((vnet, v) => subnets.ofVnet(vnet, v));
  const byName = new Map(subnetSets.map((x) => [x.name, x.routes]));
  sets.push(...subnetSets, ...topology.azure.appServices.map((_, i) => appRoutes(topology, i, (name) => byName.get(name))));
  const simulation = { sets, byName: new Map(sets.map((s) => [`${s.kind}:${s.name}`, s])) };
  planes.set(simulation, { plane, subnets });
  return simulation;
}

const planes = new WeakMap<Simulation, { readonly plane: ControlPlane; readonly subnets: SubnetRoutes }>();

/** The control plane a simulation was worked out from, and its subnets' routes (failure analysis starts from them). */
export function planeOf(simulation: Simulation): { readonly plane: ControlPlane; readonly subnets: SubnetRoutes } {
  return planes.get(simulation)!;
}

/** What each site routes toward Azure: static interface routes and what BGP teaches it. */
/** The next hop of an AWS-hosted site's default route. */
export const INTERNET_GATEWAY = 'Internet gateway';

/** What each site routes toward Azure (its tunnels and circuits; not a VPC's own default route to its Internet gateway). */
export function siteRoutesTowardAzure(simulation: Simulation): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const set of simulation.sets) if (set.kind === 'site') out.set(set.name, [...new Set(set.routes.filter((r) => r.origin !== 'system').map((r) => r.prefix))]);
  return out;
}

function siteRoutes(topology: Topology, index: TopologyIndex, site: Site, i: number, by: Lookups, vpn: ReadonlyMap<string, SimRoute[]>, exr: ReadonlyMap<string, SimRoute[]>): RouteSet {
  const routes: SimRoute[] = [];
  for (const c of by.s2sBySite.get(site.name) ?? []) {
    const rib = vpn.get(c.gateway) ?? [];
    const tunnel = via({ kind: 'tunnel', connection: c.name });
    if (!bgpUp(c, index) || c.azureAddressSpace) for (const prefix of azureAddressSpace(c, topology, index)) routes.push({ prefix, ...tunnel, origin: 'static', source: c.name });
    if (bgpUp(c, index)) {
      const vnetRanges = rib.filter((r) => r.origin === 'vnet' || r.origin === 'peered-vnet').map((r) => r.prefix);
      const insideVnet = (prefix: string) => vnetRanges.some((v) => !vnetRanges.includes(prefix) && within(prefix, v));
      for (const r of rib) {
        if (r.source === c.name || r.origin === 'bgp-peer-host' || r.prefix === '0.0.0.0/0' || insideVnet(r.prefix)) continue;
        if (r.origin === 'p2s-pool' && !topology.simulation.vpnGatewayAdvertisesPointToSitePool) continue;
        routes.push({ prefix: r.prefix, ...via({ kind: 'bgp', connection: c.name, asn: index.vpnGateways.get(c.gateway)!.value.bgp!.asn }), origin: 'ebgp', source: c.name, learnedFrom: c.gateway });
      }
    }
  }
  for (const c of by.erBySite.get(site.name) ?? []) {
    const entry = index.expressRouteGateways.get(c.gateway);
    if (!entry) continue;
    for (const v of vnetsBehindGateway(entry.vnet, topology, index)) for (const prefix of v.addressSpace) routes.push({ prefix, ...via({ kind: 'expressroute', connection: c.name }), origin: 'ebgp', source: c.name, learnedFrom: c.gateway });
    for (const r of exr.get(c.gateway) ?? []) if (r.learnedFrom && r.origin !== 'expressroute') routes.push({ prefix: r.prefix, ...via({ kind: 'expressroute', connection: c.name }), origin: 'ebgp', source: c.name, learnedFrom: c.gateway });
  }
  // A site simulated in AWS: its VPC route table sends the rest to the Internet gateway, as the
  // generated stack's default route does (gen-cloudformation: <Site>DefaultRoute).
  if (site.hosting.type === 'aws') routes.push({ prefix: '0.0.0.0/0', ...via({ kind: 'internet-gateway' }), origin: 'system', source: `VPC of ${site.name}` });
  return { kind: 'site', name: site.name, path: ['sites', i], routes: dedupe(routes) };
}

/**
 * The routes of each VNet's subnets, worked out per VNet when asked: from the VNet and the VNets
 * peered to it (system routes), the gateways of the VNet that lends it transit (or its own), and
 * the route tables of its subnets. Subnets of one VNet share their gateway and system routes; only
 * a route table sets one apart, so the effective routes are worked out once per (VNet, route table).
 */
export class SubnetRoutes {
  /** What a gateway VNet's gateways teach the subnets using them: the same for every spoke of a hub. */
  private readonly viaGateway = new Map<string, SimRoute[]>();
  /** A hub's gateway routes are active in nearly every spoke: one marked copy each, shared by the lists. */
  private readonly copies: MarkedCopies = { active: new Map(), inactive: new Map() };

  constructor(
    private readonly topology: Topology,
    private readonly index: TopologyIndex,
    private readonly plane: Pick<ControlPlane, 'vpn' | 'exr'>,
  ) {}

  /** What the gateways of a gateway VNet teach the subnets that use them (before a VNet's own ranges filter them). */
  routesViaGateway(gatewayVnet: Vnet): SimRoute[] {
    let gatewayRoutes = this.viaGateway.get(gatewayVnet.name);
    if (gatewayRoutes) return gatewayRoutes;
    gatewayRoutes = [];
    const er = gatewayVnet.expressRouteGateway ? (this.plane.exr.get(gatewayVnet.expressRouteGateway.name) ?? []) : [];
    const vp = gatewayVnet.vpnGateway ? (this.plane.vpn.get(gatewayVnet.vpnGateway.name) ?? []) : [];
    const viaEr = gatewayVnet.expressRouteGateway ? via({ kind: 'virtual-network-gateway', gateway: gatewayVnet.expressRouteGateway.name }) : undefined;
    for (const r of er) if (!r.learnedFrom) gatewayRoutes.push({ ...r, ...viaEr! });
    // With an ExpressRoute gateway beside it, the VNet's routes come by way of that gateway, which
    // takes the VPN gateway's BGP routes but not the host route Azure adds for a BGP peer's address:
    // subnets never see it (../shared/reference/azure-rules.md §2.1.9, the practitioner's case).
    const coexisting = er.length > 0 || gatewayVnet.expressRouteGateway !== undefined;
    const viaVpn = gatewayVnet.vpnGateway ? via({ kind: 'virtual-network-gateway', gateway: gatewayVnet.vpnGateway.name }) : undefined;
    for (const r of vp) if (r.origin !== 'vnet' && r.origin !== 'peered-vnet' && r.origin !== 'expressroute' && !(coexisting && r.origin === 'bgp-peer-host')) gatewayRoutes.push({ ...r, ...viaVpn! });
    this.viaGateway.set(gatewayVnet.name, gatewayRoutes);
    return gatewayRoutes;
  }

  /** The route sets of a VNet's subnets (`v`: its place in the topology). */
  ofVnet(vnet: Vnet, v: number): RouteSet[] {
    const { topology, index } = this;
    const peered = peeredVnets(topology, index, vnet.name);
    const gatewayVnet = gatewayVnetOf(vnet, topology, index);
    const system: SimRoute[] = [
      ...vnet.addressSpace.map((prefix) => ({ prefix, ...via({ kind: 'vnet-local' }), origin: 'system' as const, source: vnet.name })),
      ...peered.flatMap((p) => p.addressSpace.map((prefix) => ({ prefix, ...via({ kind: 'vnet-peering' }), origin: 'system' as const, source: p.name }))),
      { prefix: '0.0.0.0/0', ...via({ kind: 'internet' }), origin: 'system', source: 'Azure' },
    ];
    const systemRanges = system.filter((r) => r.prefix !== '0.0.0.0/0').map((r) => r.prefix);
    // Azure's reserved ranges, next hop None, unless the VNet's own space holds or contains them
    // (model: data/azure-system-routes.ts). Not ranges of the VNet: gateway routes inside them stay.
    for (const reserved of noneRoutes(vnet.addressSpace)) system.push({ prefix: reserved.prefix, ...via({ kind: 'none' }), origin: 'system', source: `Azure (${reserved.reserved})` });
    const ranges = systemRanges.map(prefixOf).filter((p): p is Prefix => p !== null);
    let fromGateways: SimRoute[] | undefined;
    const gatewayRoutes = () =>
      (fromGateways ??= (gatewayVnet ? this.routesViaGateway(gatewayVnet) : []).filter((r) => {
        const inner = prefixOf(r.prefix);
        return !(inner && ranges.some((outer) => contains(outer, inner)));
      }));
    const byTable = new Map<string, SimRoute[]>();
    return vnet.subnets.map((subnet, s) => {
      const key = subnet.routeTable ?? '';
      let routes = byTable.get(key);
      if (!routes) {
        const table = subnet.routeTable ? index.routeTables.get(subnet.routeTable)?.value : undefined;
        const udrs: SimRoute[] = (table?.routes ?? []).map((route) => {
          const hop = route.nextHop;
          const fw = typeof hop === 'object' ? index.firewalls.get(hop.virtualAppliance)?.value : undefined;
          return { prefix: route.prefix, ...via(typeof hop === 'object' ? { kind: 'appliance', firewall: hop.virtualAppliance, ...(fw ? { address: fw.privateIp } : {}) } : UDR_HOP[hop]), origin: 'udr' as const, source: table!.name };
        });
        routes = markActive([...udrs, ...((table?.propagateGatewayRoutes ?? true) ? gatewayRoutes() : []), ...system], this.copies);
        byTable.set(key, routes);
      }
      return { kind: 'subnet' as const, name: `${vnet.name}/${subnet.name}`, path: ['azure', 'vnets', v, 'subnets', s], routes };
    });
  }
}

/** Each VNet's peerings' other VNets, in peering order; and the hub lending it gateway transit. Built once per peering list. */
const peeringsByVnet = new WeakMap<readonly Peering[], { peers: Map<string, string[]>; hub: Map<string, string> }>();
function peeringsOf(topology: Topology) {
  let found = peeringsByVnet.get(topology.azure.peerings);
  if (!found) {
    found = { peers: new Map(), hub: new Map() };
    for (const p of topology.azure.peerings) {
      p.vnets.forEach((name, i) => {
        if (i === 1 && p.vnets[0] === name) return;
        const list = found!.peers.get(name) ?? found!.peers.set(name, []).get(name)!;
        list.push(p.vnets[1 - i]!);
        if (p.gatewayTransitFrom && p.gatewayTransitFrom !== name && !found!.hub.has(name)) found!.hub.set(name, p.gatewayTransitFrom);
      });
    }
    peeringsByVnet.set(topology.azure.peerings, found);
  }
  return found;
}

function peeredVnets(topology: Topology, index: TopologyIndex, vnet: string): Vnet[] {
  return (peeringsOf(topology).peers.get(vnet) ?? []).map((name) => index.vnets.get(name)?.value).filter((x): x is Vnet => x !== undefined);
}

/** The VNet whose gateways a VNet's subnets use: its own, or the hub that lends it gateway transit. */
export function gatewayVnetOf(vnet: Vnet, topology: Topology, index: TopologyIndex): Vnet | undefined {
  const hub = peeringsOf(topology).hub.get(vnet.name);
  return hub ? index.vnets.get(hub)?.value : vnet;
}

/** Where the app hands traffic over: into the VNet through the gateway, the integration subnet, or App Service's own outbound. */
export const APP_ENTERS_GATEWAY = 'VirtualNetworkGateway (point-to-site)';

const viaApp = via({ kind: 'app-gateway' });

/** A route table's next hop named by type. */
const UDR_HOP = { Internet: { kind: 'internet' }, None: { kind: 'none' }, VnetLocal: { kind: 'vnet-local' }, VirtualNetworkGateway: { kind: 'virtual-network-gateway' } } as const satisfies Record<string, NextHop>;

/** An App Service app's routes (`i`: its place in the topology), from its integration subnet's (`subnetRoutes`) when it has one. */
export function appRoutes(topology: Topology, i: number, subnetRoutes: (name: string) => readonly SimRoute[] | undefined): RouteSet {
  const app = topology.azure.appServices[i]!;
  const integration = app.integration;
  const vnet = topology.azure.vnets.find((v) => v.name === integration.vnet);
  const internet: SimRoute = { prefix: '0.0.0.0/0', ...via({ kind: 'app-internet' }), origin: 'system', source: 'App Service', active: true };
  let routes: SimRoute[];
  if (integration.type === 'gateway-required') {
    const entering = [...(vnet?.addressSpace.filter((p) => !p.includes(':')) ?? []), ...integration.routedPrefixes];
    routes = [...entering.map((prefix) => ({ prefix, ...viaApp, origin: 'app-route' as const, source: app.plan.name, active: true })), internet];
  } else {
    const subnet = (subnetRoutes(`${integration.vnet}/${integration.subnet}`) ?? []) as SimRoute[];
    routes = integration.routeAll ? subnet : [...subnet.filter((r) => r.prefix !== '0.0.0.0/0' && RFC1918.some((p) => within(r.prefix, p) || within(p, r.prefix))), internet];
  }
  return { kind: 'app-service' as const, name: app.name, path: ['azure', 'appServices', i], routes };
}

/** The route a set uses toward `prefix`: the longest active route that covers it. */
export function lookup(routes: readonly SimRoute[], prefix: string): SimRoute | undefined {
  let best: SimRoute | undefined;
  let bestLength = -1;
  for (const r of routes) {
    if (r.active === false || !within(prefix, r.prefix)) continue;
    const length = prefixOf(r.prefix)!.length;
    if (length > bestLength) (best = r), (bestLength = length);
  }
  return best;
}

const RANK: Partial<Record<RouteOrigin, number>> = { udr: 0, expressroute: 1, system: 3 };

/** Marked copies of routes, one per route and state, shared by the lists of one simulation. */
interface MarkedCopies {
  readonly active: Map<SimRoute, SimRoute>;
  readonly inactive: Map<SimRoute, SimRoute>;
}

/**
 * For each prefix the route that wins: UDR, then ExpressRoute, then other gateway routes, then
 * system. Repeats (same prefix, next hop and origin) are dropped, the first kept.
 */
function markActive(routes: SimRoute[], copies: MarkedCopies): SimRoute[] {
  const rank = (r: SimRoute) => RANK[r.origin] ?? 2;
  const best = new Map<string, SimRoute>();
  for (const r of routes) {
    const current = best.get(r.prefix);
    if (!current || rank(r) < rank(current)) best.set(r.prefix, r);
  }
  const kept = dedupe(routes);
  // Written out rather than spread (a third of the simulation's time went to spreading); same keys,
  // same order. Routes are read-only, so lists share a copy: the 1,000 spokes of the large estate
  // held half a million copies of a few thousand routes.
  return kept.map((r) => {
    const active = best.get(r.prefix) === r;
    const shared = active ? copies.active : copies.inactive;
    let copy = shared.get(r);
    if (!copy) {
      copy = 'learnedFrom' in r ? { prefix: r.prefix, hop: r.hop, nextHop: r.nextHop, origin: r.origin, source: r.source, learnedFrom: r.learnedFrom, active } : { prefix: r.prefix, hop: r.hop, nextHop: r.nextHop, origin: r.origin, source: r.source, active };
      shared.set(r, copy);
    }
    return copy;
  });
}


/** The routes without repeats (same prefix, next hop and origin), the first kept; no key strings (a large estate dedupes half a million routes). */
function dedupe(routes: SimRoute[]): SimRoute[] {
  const seen = new Map<string, SimRoute | SimRoute[]>();
  return routes.filter((r) => {
    const earlier = seen.get(r.prefix);
    if (earlier === undefined) {
      seen.set(r.prefix, r);
      return true;
    }
    const list = Array.isArray(earlier) ? earlier : [earlier];
    if (list.some((o) => o.nextHop === r.nextHop && o.origin === r.origin)) return false;
    list.push(r);
    if (list !== earlier) seen.set(r.prefix, list);
    return true;
  });
}

const parsed = new Map<string, Prefix | null>();
/** Parses once per distinct text: the simulation and the data plane ask about the same prefixes many times. */
export function prefixOf(text: string): Prefix | null {
  let p = parsed.get(text);
  if (p === undefined) {
    if (parsed.size > 200_000) parsed.clear();
    const result = parsePrefix(text);
    p = result.ok ? result.value : null;
    parsed.set(text, p);
  }
  return p;
}

/** True when prefix `inner` lies inside prefix `outer`. */
export function within(inner: string, outer: string): boolean {
  const a = prefixOf(inner);
  const b = prefixOf(outer);
  return a !== null && b !== null && contains(b, a);
}
