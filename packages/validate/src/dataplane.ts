/**
 * The data plane: where a packet goes, hop by hop, from the route simulation's tables. Each node
 * (a subnet, a gateway, a site, an App Service app) forwards by longest-prefix match over the
 * routes it uses; a firewall applies its rules first (first match, stateful: a reply passes a
 * firewall that saw its request, and only such a firewall) and may translate the source.
 *
 * - Traffic arriving from a tunnel or a circuit enters through GatewaySubnet's routes (its route
 *   table applies), then leaves through a gateway's own routes when it is bound elsewhere.
 * - App Service gateway-required integration enters the same way, from the point-to-site pool.
 * - Toward the Internet, Azure lets out only a VNet's own addresses, through a NAT gateway on the
 *   subnet or the firewall's public IP (default outbound access is not relied upon), or an app
 *   through App Service's own outbound.
 * Sources: ../shared/reference/azure-rules.md §2 (route selection), Barracuda CloudGen
 * "Connection Objects" (Dynamic SNAT), articles/app-service/overview-vnet-integration.md.
 */
import { awsTestEndpointIngress, AZURE_LOAD_BALANCER_PREFIX, AZURE_NONE_ROUTES, endpointPrefixes, firewallEntryCovers, FIREWALL_SERVICES, firewallRuleConnection, formatAddress, NON_PUBLIC_RANGES, RFC1918_RANGES, type Connection, type Firewall, type IpVersion, type Prefix, type Subnet, type Topology, type TopologyIndex, type Vnet, type VpnGateway } from '@hybridnet/model';
import { attachmentsAt, EPHEMERAL_PORT, evaluateNsg, planeNsgs, type Attachment, type NsgDecision, type PlaneNsg, type Traffic } from './nsg.ts';
import { gatewayVnetOf, hostRoute, prefixOf, type NextHop, type RouteSet, type SimRoute, type Simulation } from './simulate.ts';

export interface Address {
  readonly version: IpVersion;
  readonly value: bigint;
}

/** Where a matched route sends the packet. */
export type Action =
  | { readonly to: 'vnet'; readonly vnet: string }
  | { readonly to: 'gateway'; readonly gateway: string }
  | { readonly to: 'gateway-in'; readonly gateway: string }
  | { readonly to: 'firewall'; readonly firewall: string }
  | { readonly to: 'internet'; readonly by: 'vnet' | 'app' | 'site'; readonly vnet?: string; readonly site?: string }
  | { readonly to: 'site'; readonly site: string }
  | { readonly to: 'p2s'; readonly gateway: string }
  | { readonly to: 'drop'; readonly why: string };

export interface TableEntry {
  readonly prefix: Prefix;
  readonly action: Action;
  readonly route: SimRoute;
}

/** One step of a packet's path: the node that decided and the route it used. */
export interface Hop {
  readonly node: string;
  /**
   * The element the hop is at, typed for whoever draws or compares paths: `subnet:<vnet>/<subnet>`,
   * `app:<name>`, `gateway:<name>`, `firewall:<name>`, `site:<name>`, `p2s:<gateway>`,
   * `vnet:<name>` or `internet`.
   */
  readonly element: string;
  /** The next hop of the route the hop takes (typed), when it takes one. */
  readonly via?: NextHop;
  readonly route?: string;
  readonly note?: string;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Longest-prefix match: one hash lookup per prefix length present in the table. */
export class ForwardingTable {
  readonly entries: readonly TableEntry[];
  private readonly byVersion = new Map<IpVersion, { lengths: number[]; maps: Map<number, Map<bigint, TableEntry>> }>();

  /** `entries` in order of preference: for one prefix the first wins. */
  constructor(entries: readonly TableEntry[]) {
    this.entries = entries;
    for (const e of entries) {
      let v = this.byVersion.get(e.prefix.version);
      if (!v) this.byVersion.set(e.prefix.version, (v = { lengths: [], maps: new Map() }));
      let m = v.maps.get(e.prefix.length);
      if (!m) v.maps.set(e.prefix.length, (m = new Map()));
      if (!m.has(e.prefix.first)) m.set(e.prefix.first, e);
    }
    for (const v of this.byVersion.values()) v.lengths = [...v.maps.keys()].sort((a, b) => b - a);
  }

  lookup(a: Address): TableEntry | undefined {
    const v = this.byVersion.get(a.version);
    if (!v) return undefined;
    for (const length of v.lengths) {
      const host = BigInt(BITS[a.version] - length);
      const hit = v.maps.get(length)!.get((a.value >> host) << host);
      if (hit) return hit;
    }
    return undefined;
  }
}

/** The same decision by scanning every entry: the reference the property test compares with. */
export function lookupLinear(table: ForwardingTable, a: Address): TableEntry | undefined {
  let best: TableEntry | undefined;
  for (const e of table.entries) {
    if (e.prefix.version !== a.version || a.value < e.prefix.first || a.value > e.prefix.last) continue;
    if (!best || e.prefix.length > best.prefix.length) best = e;
  }
  return best;
}

export type Lookup = (table: ForwardingTable, a: Address) => TableEntry | undefined;

interface FirewallRuleRanges {
  readonly name: string;
  readonly pass: boolean;
  /** Whether the rule's services cover the traffic. */
  readonly serves: (traffic: Traffic) => boolean;
  readonly nat: boolean;
  readonly source: (a: Address) => boolean;
  readonly destination: (a: Address) => boolean;
}

/** A firewall as the walk sees it: its NIC's address, its rules as address tests, whether it has a way out. */
interface PlaneFirewall {
  readonly value: Firewall;
  readonly address: Address;
  readonly rules: readonly FirewallRuleRanges[];
  readonly egress: boolean;
}

export interface DataPlane {
  readonly topology: Topology;
  readonly index: TopologyIndex;
  /** The table of a node, by id: `subnet:<vnet>/<subnet>`, `gateway:<name>`, `site:<name>`, `app:<name>`. */
  table(id: string): ForwardingTable | undefined;
  readonly firewalls: ReadonlyMap<string, PlaneFirewall>;
  /** The network security groups, by name, their rules ready to match. */
  readonly nsgs: ReadonlyMap<string, PlaneNsg>;
  /** Every prefix the tables, address plan and rules name: the boundaries inside which all decisions are equal. */
  readonly boundaries: readonly Prefix[];
  /** The site whose LAN holds an address, if any. */
  siteAt(a: Address): string | undefined;
}

/** A prefix from its text, through the simulation's parse cache. */
export function prefix(text: string): Prefix | undefined {
  return prefixOf(text) ?? undefined;
}

export function inPrefix(p: Prefix, a: Address): boolean {
  return p.version === a.version && p.first <= a.value && a.value <= p.last;
}

export function addressText(a: Address): string {
  return formatAddress(a.value, a.version);
}

const NON_PUBLIC = NON_PUBLIC_RANGES.map((t) => prefix(t)!);
export function isPublic(a: Address): boolean {
  return !NON_PUBLIC.some((p) => inPrefix(p, a));
}

const RANK: Record<RouteSet['kind'], Partial<Record<string, number>>> = {
  'vpn-gateway': { vnet: 0, 'peered-vnet': 0, 'p2s-pool': 0, 'lng-static': 1, 'bgp-peer-host': 1, ebgp: 2, 'vnet-to-vnet': 2, expressroute: 3 },
  'expressroute-gateway': { expressroute: 0 },
  'route-server': {},
  // A router prefers a static route to a BGP-learned one (RRAS: static 3, BGP 20 by default).
  site: { static: 0, ebgp: 1 },
  subnet: {},
  'app-service': {},
};

export function buildDataPlane(topology: Topology, index: TopologyIndex, simulation: Simulation): DataPlane {
  const sets = new Map<string, RouteSet>();
  for (const set of simulation.sets) if (set.kind !== 'route-server') sets.set(tableId(set), set);
  const tableOf = tablesOf(topology, index);
  const table = (id: string) => {
    const set = sets.get(id);
    return set ? tableOf(set) : undefined;
  };
  const boundaries = [...new Set(configurationPrefixes(topology, index))].map((t) => prefix(t)).filter((p): p is Prefix => p !== undefined);
  const lans = topology.sites.flatMap((site) => site.lan.map((t) => ({ site: site.name, range: prefix(t)! })));
  const siteAt = (a: Address) => lans.find((l) => inPrefix(l.range, a))?.site;
  return { topology, index, table, firewalls: planeFirewalls(index), nsgs: planeNsgs(topology.azure.networkSecurityGroups, index), boundaries, siteAt };
}

/** A node's table id: `gateway:<name>`, `site:<name>`, `subnet:<vnet>/<subnet>`, `app:<name>`. */
export function tableId(set: RouteSet): string {
  return set.kind === 'vpn-gateway' || set.kind === 'expressroute-gateway' ? `gateway:${set.name}` : set.kind === 'app-service' ? `app:${set.name}` : `${set.kind}:${set.name}`;
}

/**
 * The data plane of `base`'s network in another state (a failure): the same topology's shape, the
 * nodes `changed` names with routes of their own (their tables built on first use), the others'
 * tables `base`'s, and the boundaries given.
 */
export function deriveDataPlane(base: DataPlane, topology: Topology, index: TopologyIndex, changed: (id: string) => RouteSet | undefined, boundaries: readonly Prefix[], firewallsChanged: boolean): DataPlane {
  const tableOf = tablesOf(topology, index);
  const table = (id: string) => {
    const set = changed(id);
    return set ? tableOf(set) : base.table(id);
  };
  return { topology, index, table, firewalls: firewallsChanged ? planeFirewalls(index) : base.firewalls, nsgs: base.nsgs, boundaries, siteAt: base.siteAt };
}

/**
 * Each node's forwarding table (its active routes, best first: for one prefix, the first wins),
 * built on first use and once per route list: subnets of one VNet and route table share theirs.
 */
function tablesOf(topology: Topology, index: TopologyIndex): (set: RouteSet) => ForwardingTable {
  const built = new Map<readonly SimRoute[], ForwardingTable>();
  return (set) => {
    let table = built.get(set.routes);
    if (!table) {
      const rank = RANK[set.kind];
      const routes = set.routes.filter((r) => r.active !== false).map((r, i) => ({ r, i })).sort((a, b) => (rank[a.r.origin] ?? 1) - (rank[b.r.origin] ?? 1) || a.i - b.i);
      table = new ForwardingTable(routes.flatMap(({ r }) => {
        const p = prefix(r.prefix);
        return p ? [{ prefix: p, action: actionOf(set, r, topology, index), route: r }] : [];
      }));
      built.set(set.routes, table);
    }
    return table;
  };
}

function planeFirewalls(index: TopologyIndex): Map<string, PlaneFirewall> {
  const firewalls = new Map<string, PlaneFirewall>();
  for (const [name, { value }] of index.firewalls) {
    const subnet = index.subnets.get(value.vnet)?.get(value.subnet)?.value;
    const rules = value.rules.map((rule) => ({
      name: rule.name,
      pass: rule.action === 'pass',
      serves: servesMatcher(rule.services),
      nat: firewallRuleConnection(rule, value, index) === 'dynamic-nat',
      source: entryMatcher(rule.source, value, index),
      destination: entryMatcher(rule.destination, value, index),
    }));
    const address = prefix(`${value.privateIp}/32`)!;
    firewalls.set(name, { value, address: { version: 4, value: address.first }, rules, egress: value.publicIp || Boolean(subnet?.natGateway) });
  }
  return firewalls;
}

/**
 * Every prefix the configuration names, from which every route the simulation makes takes its
 * prefix: VNets, subnets and point-to-site pools, the reserved ranges Azure routes to None, sites'
 * LANs and BGP (peer and advertised), the address spaces connections set, route tables' and App
 * Service's routes, firewalls' rules and addresses, test endpoints, the private ranges. Cut at
 * these, a range's pieces each meet every table, rule and address plan alike. They come from the
 * configuration rather than the routes so that a failure (which takes routes away, ./failures.ts)
 * moves them only where it changes the configuration: its connections' address spaces, a gateway's
 * pool, a firewall's rules (`elementPrefixes`).
 */
export function configurationPrefixes(topology: Topology, index: TopologyIndex): string[] {
  const out: string[] = ['0.0.0.0/0', ...RFC1918_RANGES, ...NON_PUBLIC_RANGES, ...AZURE_NONE_ROUTES.map((r) => r.prefix)];
  for (const vnet of topology.azure.vnets) {
    out.push(...vnet.addressSpace);
    for (const s of vnet.subnets) out.push(s.prefix, ...(s.ipv6Prefix ? [s.ipv6Prefix] : []));
    if (vnet.vpnGateway) out.push(...elementPrefixes.gateway(vnet.vpnGateway));
  }
  for (const table of topology.azure.routeTables) for (const r of table.routes) out.push(r.prefix);
  for (const app of topology.azure.appServices) if (app.integration.type === 'gateway-required') out.push(...app.integration.routedPrefixes);
  for (const fw of topology.azure.firewalls) out.push(`${fw.privateIp}/32`, ...elementPrefixes.firewall(fw, index));
  for (const site of topology.sites) out.push(...site.lan, ...(site.hosting.type === 'aws' ? [site.hosting.vpcCidr, site.hosting.subnetCidr] : []));
  for (const c of topology.connections) out.push(...elementPrefixes.connection(c, index));
  for (const t of topology.testEndpoints) if (t.privateIp) out.push(`${t.privateIp}/32`);
  for (const g of topology.azure.networkSecurityGroups) for (const r of g.rules) for (const e of [...r.source, ...r.destination]) out.push(...endpointPrefixes(e, index));
  out.push(AZURE_LOAD_BALANCER_PREFIX);
  return out;
}

/** The prefixes of configurationPrefixes that one connection, gateway or firewall brings. */
export const elementPrefixes = {
  /** Its address spaces; over BGP, the site's peer (the host route) and what it advertises. */
  connection: (c: Connection, index: TopologyIndex): readonly string[] => {
    if (c.type === 'vnet-to-vnet') return [];
    const bgp = index.sites.get(c.site)?.value.bgp;
    if (c.type === 'expressroute') return bgp?.advertise ?? [];
    const up = c.bgp && bgp && index.vpnGateways.get(c.gateway)?.value.bgp;
    return [...(c.siteAddressSpace ?? []), ...(c.azureAddressSpace ?? []), ...(up ? [hostRoute(bgp.peerIp), ...bgp.advertise] : [])];
  },
  gateway: (g: VpnGateway): readonly string[] => g.pointToSite?.addressPool ?? [],
  firewall: (fw: Firewall, index: TopologyIndex): readonly string[] =>
    fw.rules.flatMap((rule) => [...rule.source, ...rule.destination]).flatMap((entry) => {
      const covers = firewallEntryCovers(entry, fw, index);
      return typeof covers === 'string' ? [] : covers;
    }),
};

/** What a firewall rule's services cover (Barracuda's service objects, model: data/firewall-services.ts). */
function servesMatcher(services: readonly string[]): (traffic: Traffic) => boolean {
  const all = services.map((s) => FIREWALL_SERVICES[s]);
  return (t) => all.some((ports) => ports === 'any' || (ports !== undefined && t.protocol !== 'icmp' && ports.some((p) => p.protocol === t.protocol && p.port === t.port)));
}

/** What a firewall rule's source or destination entries cover, as a test on one address. */
function entryMatcher(entries: readonly string[], firewall: Firewall, index: TopologyIndex): (a: Address) => boolean {
  const ranges: Prefix[] = [];
  let any = false;
  let internet = false;
  for (const entry of entries) {
    const covers = firewallEntryCovers(entry, firewall, index);
    if (covers === 'any') any = true;
    else if (covers === 'internet') internet = true;
    else {
      for (const t of covers) {
        const p = prefix(t);
        if (p) ranges.push(p);
      }
    }
  }
  return (a) => any || (internet && isPublic(a)) || ranges.some((p) => inPrefix(p, a));
}

const toGateways = new Map<string, Action>();

/** A subnet's gateway route: one action per gateway, shared by the thousands of routes of a hub's spokes. */
function toGateway(gateway: string): Action {
  let action = toGateways.get(gateway);
  if (!action) {
    action = { to: 'gateway', gateway };
    if (toGateways.size < 10_000) toGateways.set(gateway, action);
  }
  return action;
}

function actionOf(set: RouteSet, r: SimRoute, topology: Topology, index: TopologyIndex): Action {
  if (set.kind === 'subnet' || set.kind === 'app-service') {
    const vnetName = set.kind === 'subnet' ? set.name.slice(0, set.name.indexOf('/')) : index.appServices.get(set.name)!.value.integration.vnet;
    const vnet = index.vnets.get(vnetName)!.value;
    if (r.origin === 'app-route') return { to: 'gateway-in', gateway: vnet.vpnGateway?.name ?? '' };
    if (r.origin === 'system') {
      if (r.hop.kind === 'vnet-local' || r.hop.kind === 'vnet-peering') return { to: 'vnet', vnet: r.source };
      if (r.hop.kind === 'none') return { to: 'drop', why: `Azure's default route ${r.prefix} (${r.source}) has next hop None: dropped unless a longer route covers it` };
      return set.kind === 'app-service' && r.source === 'App Service' ? { to: 'internet', by: 'app' } : { to: 'internet', by: 'vnet', vnet: vnetName };
    }
    if (r.origin === 'udr') {
      const hop = r.hop;
      if (hop.kind === 'appliance') return { to: 'firewall', firewall: hop.firewall };
      if (hop.kind === 'internet') return { to: 'internet', by: 'vnet', vnet: vnetName };
      if (hop.kind === 'vnet-local') return { to: 'vnet', vnet: vnetName };
      if (hop.kind === 'virtual-network-gateway') {
        const gw = gatewayVnetOf(vnet, topology, index)?.vpnGateway?.name;
        return gw ? { to: 'gateway', gateway: gw } : { to: 'drop', why: `route "${r.prefix}" of "${r.source}" names VirtualNetworkGateway, but there is none` };
      }
      return { to: 'drop', why: `route ${r.prefix} of route table "${r.source}" has next hop None` };
    }
    return r.hop.kind === 'virtual-network-gateway' && r.hop.gateway ? toGateway(r.hop.gateway) : { to: 'drop', why: `no next hop for ${r.nextHop}` };
  }
  if (set.kind === 'site') {
    if (r.hop.kind === 'internet-gateway') return { to: 'internet', by: 'site', site: set.name };
    const c = index.connections.get(r.source)?.value;
    return c && c.type !== 'vnet-to-vnet' ? { to: 'gateway-in', gateway: c.gateway } : { to: 'drop', why: `no connection ${r.source}` };
  }
  // A gateway's own routes.
  const name = set.name;
  if (r.origin === 'vnet' || r.origin === 'peered-vnet') return { to: 'vnet', vnet: r.source };
  if (r.origin === 'p2s-pool') return { to: 'p2s', gateway: name };
  const c = index.connections.get(r.source)?.value;
  if (!c) return { to: 'drop', why: `no connection ${r.source}` };
  if (c.type === 'vnet-to-vnet') return { to: 'gateway-in', gateway: other(c, name) };
  if (c.gateway === name) return { to: 'site', site: c.site };
  if (r.hop.kind === 'vpn-gateway') return { to: 'gateway', gateway: r.hop.gateway };
  if (c.type === 'expressroute' || r.hop.kind === 'expressroute-gateway') return { to: 'gateway', gateway: c.gateway };
  // This gateway plays the connection's site: the tunnel leads to the Azure gateway at the other end.
  const device = index.sites.get(c.site)?.value.device;
  if (device?.type === 'azure-vpn-gateway' && device.gateway === name) return { to: 'gateway-in', gateway: c.gateway };
  // Learned in transit over a VNet-to-VNet connection: its tunnel.
  const v2v = r.hop.kind === 'tunnel' ? index.connections.get(r.hop.connection)?.value : undefined;
  return v2v?.type === 'vnet-to-vnet' ? { to: 'gateway-in', gateway: other(v2v, name) } : { to: 'gateway', gateway: c.gateway };
}

function other(c: Extract<Connection, { type: 'vnet-to-vnet' }>, name: string): string {
  return c.gateways[0] === name ? c.gateways[1] : c.gateways[0];
}

/** A packet on its way: the node it is at, its addresses, and the firewalls holding its session. */
export type Position =
  | { readonly at: 'table'; readonly node: string; readonly label: string }
  | { readonly at: 'vnet'; readonly vnet: string }
  | { readonly at: 'gateway'; readonly gateway: string }
  | { readonly at: 'gateway-in'; readonly gateway: string }
  | { readonly at: 'firewall'; readonly firewall: string }
  | { readonly at: 'site'; readonly site: string }
  | { readonly at: 'p2s'; readonly gateway: string }
  | { readonly at: 'internet'; readonly by: 'vnet' | 'app' | 'site'; readonly vnet?: string; readonly site?: string };

export interface WalkResult {
  /** Where the packet was delivered (a node id), or undefined when it was dropped. */
  readonly delivered?: string;
  readonly hops: Hop[];
  readonly drop?: { readonly at: string; readonly why: string };
  /** The source address the destination sees (a firewall's, after Dynamic SNAT). */
  readonly source: Address;
  /** Firewalls crossed, in order; the one that translated the source, if any. */
  readonly firewalls: string[];
  readonly natBy?: string;
  /** The firewall the packet left through to the Internet, if any. */
  readonly egressFirewall?: string;
  /** The network security group attachments (subnets, NICs) the packet passed: its reply passes them too. */
  readonly passed: readonly string[];
  /** Each security group decision on the way, in order (the last one denies when the packet was dropped by a group). */
  readonly screened: readonly NsgDecision[];
}

const MAX_HOPS = 64;

/** The element a position stands for (see Hop.element); a walk that starts at a firewall starts at its subnet's table under the firewall's name. */
function elementOf(pos: Position, label: string): string {
  switch (pos.at) {
    case 'table':
      return label.startsWith('firewall ') ? `firewall:${label.slice('firewall '.length)}` : pos.node;
    case 'gateway':
    case 'gateway-in':
      return `gateway:${pos.gateway}`;
    case 'firewall':
      return `firewall:${pos.firewall}`;
    case 'site':
      return `site:${pos.site}`;
    case 'p2s':
      return `p2s:${pos.gateway}`;
    case 'vnet':
      return `vnet:${pos.vnet}`;
    case 'internet':
      return 'internet';
  }
}

/** The firewalls a request crossed, each with the source it translated (if it did): what lets replies pass. */
export type Sessions = ReadonlyMap<string, Address | undefined>;

/** Follows one packet from `start` until it is delivered, dropped or loops. */
export function walk(dp: DataPlane, start: Position, source: Address, destination: Address, mode: 'request' | 'reply', sessions: Sessions, lookup: Lookup = (t, a) => t.lookup(a), traffic: Traffic = { protocol: 'tcp' }, crossed: ReadonlySet<string> = new Set()): WalkResult {
  const hops: Hop[] = [];
  const firewalls: string[] = [];
  const passed: string[] = [];
  const screened: NsgDecision[] = [];
  let src = source;
  let dst = destination;
  let natBy: string | undefined;
  let lastFirewall: string | undefined;
  const seen = new Set<string>();
  const done = (extra: Partial<WalkResult>): WalkResult => ({ hops, source: src, firewalls, passed, screened, ...(natBy ? { natBy } : {}), ...extra });
  const drop = (at: string, why: string) => done({ drop: { at, why } });
  // Network security groups (./nsg.ts): the attachments in the order the packet meets them; a
  // reply passes those its request passed. Returns why it is denied, or undefined; what allowed it joins `notes`.
  const [sourcePort, destinationPort] = traffic.protocol === 'icmp' ? [undefined, undefined] : mode === 'request' ? [EPHEMERAL_PORT, traffic.port] : [traffic.port, EPHEMERAL_PORT];
  const screen = (list: readonly (Attachment | undefined)[], direction: 'Inbound' | 'Outbound', notes: string[]): string | undefined => {
    for (const at of list) {
      if (!at || crossed.has(at.id)) continue;
      const group = dp.nsgs.get(at.nsg);
      if (!group) continue;
      const decision = evaluateNsg(dp, group, at, direction, src, dst, traffic.protocol, sourcePort, destinationPort);
      screened.push(decision);
      if (!decision.allowed) return decision.text;
      passed.push(at.id);
      notes.push(decision.text);
    }
    return undefined;
  };
  const leaving = (vnet: string, subnet: string, nic: Address | undefined, notes: string[]) => {
    const at = attachmentsAt(dp.index, vnet, subnet, nic);
    return screen([at.nic, at.subnet], 'Outbound', notes);
  };
  const entering = (vnet: string, subnet: string, nic: Address | undefined, notes: string[]) => {
    const at = attachmentsAt(dp.index, vnet, subnet, nic);
    return screen([at.subnet, at.nic], 'Inbound', notes);
  };
  let pos: Position = start;
  // Leaving where it starts: a VM's (or a firewall's) NIC and its subnet, or an app's integration subnet.
  let startNotes: string[] = [];
  if (start.at === 'table') {
    const where = start.node.startsWith('subnet:') ? start.node.slice('subnet:'.length) : undefined;
    const app = start.node.startsWith('app:') ? dp.index.appServices.get(start.node.slice('app:'.length))?.value.integration : undefined;
    const denied = where ? leaving(where.slice(0, where.indexOf('/')), where.slice(where.indexOf('/') + 1), src, startNotes) : app?.type === 'regional' ? leaving(app.vnet, app.subnet, undefined, startNotes) : undefined;
    if (denied) return drop(start.label, denied);
  }
  const note = (base: string | undefined, extra: readonly string[]) => (extra.length === 0 ? (base ? { note: base } : {}) : { note: [base, ...extra].filter(Boolean).join('; ') });
  for (let step = 0; step < MAX_HOPS; step++) {
    // Paths are a few hops long; a loop is recognised from the eighth on (it repeats by then),
    // so most walks build no key at all.
    if (step >= 8) {
      const key = `${positionKey(pos)}|${dst.value}|${src.value}`;
      if (seen.has(key)) return drop(hops.at(-1)?.node ?? 'start', 'the packet loops');
      seen.add(key);
    }
    let tableNode: string | undefined;
    let label: string;
    let arriving: string | undefined;
    // A firewall's hop is already written; its route is added to it. From a subnet, app or firewall the peering decides
    // what enters a peered VNet; through gateway transit a spoke takes what its hub's gateways bring in.
    let annotate = false;
    let fromVnet = pos.at === 'table' ? vnetOfTable(dp, pos.node) : undefined;
    switch (pos.at) {
      case 'table':
        tableNode = pos.node;
        label = pos.label;
        break;
      case 'gateway':
        tableNode = `gateway:${pos.gateway}`;
        label = `gateway ${pos.gateway}`;
        break;
      case 'gateway-in': {
        const entry = dp.index.vpnGateways.get(pos.gateway) ?? dp.index.expressRouteGateways.get(pos.gateway);
        label = `gateway ${pos.gateway}`;
        if (!entry) return drop(label, `no gateway "${pos.gateway}"`);
        tableNode = `subnet:${entry.vnet.name}/GatewaySubnet`;
        arriving = `arriving: ${entry.vnet.name}/GatewaySubnet's routes`;
        break;
      }
      case 'site': {
        const site = dp.index.sites.get(pos.site)!.value;
        label = `site ${pos.site}`;
        if (site.lan.some((t) => inPrefix(prefix(t)!, dst))) {
          // A test machine of a site in AWS sits behind the security group hybridnet generates for it.
          const refused = mode === 'request' ? awsIngressRefuses(dp, pos.site, src, dst) : undefined;
          if (refused) return drop(label, refused);
          hops.push({ node: label, element: elementOf(pos, label), note: `${addressText(dst)} is on the site's LAN` });
          return done({ delivered: `site:${pos.site}` });
        }
        tableNode = `site:${pos.site}`;
        break;
      }
      case 'p2s': {
        label = `point-to-site clients of ${pos.gateway}`;
        const pool = dp.index.vpnGateways.get(pos.gateway)?.value.pointToSite?.addressPool ?? [];
        if (!pool.some((t) => inPrefix(prefix(t)!, dst))) return drop(label, `${addressText(dst)} is outside the pool`);
        hops.push({ node: label, element: elementOf(pos, label), note: `${addressText(dst)} is in the pool` });
        return done({ delivered: `p2s:${pos.gateway}` });
      }
      case 'vnet': {
        const vnet = dp.index.vnets.get(pos.vnet)!.value;
        label = `VNet ${pos.vnet}`;
        const fw = firewallAt(dp, vnet.name, dst);
        if (fw) {
          pos = { at: 'firewall', firewall: fw.value.name };
          continue;
        }
        const subnet = subnetHolding(vnet, dst);
        if (subnet) {
          const allowed: string[] = [];
          const denied = entering(pos.vnet, subnet.name, dst, allowed);
          if (denied) return drop(`subnet ${pos.vnet}/${subnet.name}`, denied);
          hops.push({ node: `subnet ${pos.vnet}/${subnet.name}`, element: `subnet:${pos.vnet}/${subnet.name}`, ...note(`${addressText(dst)} is in ${dst.version === 4 ? subnet.prefix : subnet.ipv6Prefix}`, allowed) });
          return done({ delivered: `subnet:${pos.vnet}/${subnet.name}` });
        }
        if (vnet.addressSpace.some((t) => inPrefix(prefix(t)!, dst))) {
          hops.push({ node: label, element: elementOf(pos, label), note: `${addressText(dst)} is in the VNet's address space, in no subnet` });
          return done({ delivered: `vnet:${pos.vnet}` });
        }
        return drop(label, `${addressText(dst)} is not in VNet ${pos.vnet}`);
      }
      case 'internet': {
        label = 'Internet';
        if (pos.by === 'site') {
          const site = dp.index.sites.get(pos.site!)!.value;
          const vpc = site.hosting.type === 'aws' ? prefix(site.hosting.vpcCidr) : undefined;
          if (!isPublic(dst)) return drop(`site ${pos.site}`, `the VPC's route table sends ${addressText(dst)}, a private address, to its Internet gateway, where it is dropped`);
          if (!vpc || !inPrefix(vpc, src)) return drop(`site ${pos.site}`, `the VPC's Internet gateway lets out only the VPC's own instances, not ${addressText(src)}`);
          hops.push({ node: label, element: elementOf(pos, label), note: `through the Internet gateway of site ${pos.site}'s VPC` });
          return done({ delivered: 'internet' });
        }
        if (!isPublic(dst)) return drop(hops.at(-1)?.node ?? label, `Azure sends ${addressText(dst)}, a private address, to the Internet, where it is dropped`);
        if (pos.by === 'app') {
          hops.push({ node: label, element: elementOf(pos, label), note: "through App Service's own outbound" });
          return done({ delivered: 'internet' });
        }
        const vnet = dp.index.vnets.get(pos.vnet!)!.value;
        const fw = firewallAt(dp, vnet.name, src);
        if (fw && lastFirewall === fw.value.name) {
          if (!fw.egress) return drop(`firewall ${fw.value.name}`, `firewall "${fw.value.name}" has no public IP and its subnet no NAT gateway: nothing gets out`);
          hops.push({ node: label, element: elementOf(pos, label), note: `from firewall ${fw.value.name}'s ${fw.value.publicIp ? 'public IP' : 'NAT gateway'}` });
          return done({ delivered: 'internet', egressFirewall: fw.value.name });
        }
        const subnet = subnetHolding(vnet, src);
        if (!subnet) return drop(hops.at(-1)?.node ?? label, `Azure lets only ${vnet.name}'s own addresses out to the Internet, not ${addressText(src)}`);
        if (!subnet.natGateway) return drop(hops.at(-1)?.node ?? label, `subnet ${vnet.name}/${subnet.name} has no NAT gateway (and the source no public IP), so ${addressText(src)} has no way out`);
        hops.push({ node: label, element: elementOf(pos, label), note: `through NAT gateway ${subnet.natGateway}` });
        return done({ delivered: 'internet' });
      }
      case 'firewall': {
        const fw = dp.firewalls.get(pos.firewall)!;
        label = `firewall ${pos.firewall}`;
        const into: string[] = [];
        const refused = entering(fw.value.vnet, fw.value.subnet, fw.address, into);
        if (refused) return drop(label, refused);
        if (mode === 'reply') {
          if (!sessions.has(pos.firewall)) return drop(label, `the reply reaches firewall "${pos.firewall}", which never saw the request, and drops it`);
          const original = sessions.get(pos.firewall);
          if (original && dst.version === 4 && dst.value === fw.address.value) {
            // The reply to the firewall's own address: the session undoes the translation.
            dst = original;
            hops.push({ node: label, element: elementOf(pos, label), note: `reply to its translated address, sent on to ${addressText(dst)}` });
          } else hops.push({ node: label, element: elementOf(pos, label), note: 'reply of a session it holds' });
        } else {
          if (dst.value === fw.address.value && dst.version === 4) {
            hops.push({ node: label, element: elementOf(pos, label), note: 'addressed to the firewall itself' });
            return done({ delivered: `firewall:${pos.firewall}` });
          }
          const rule = fw.rules.find((r) => r.source(src) && r.destination(dst) && r.serves(traffic));
          if (!rule) return drop(label, `no rule of firewall "${pos.firewall}" lets ${addressText(src)} reach ${addressText(dst)} (it blocks what no rule passes)`);
          if (!rule.pass) return drop(label, `rule "${rule.name}" of firewall "${pos.firewall}" blocks ${addressText(src)} → ${addressText(dst)}`);
          if (rule.nat) {
            hops.push({ node: label, element: elementOf(pos, label), note: `rule "${rule.name}" passes it, source translated to ${fw.value.privateIp}` });
            natBy = pos.firewall;
            src = fw.address;
          } else hops.push({ node: label, element: elementOf(pos, label), note: `rule "${rule.name}" passes it` });
        }
        const out: string[] = [];
        const held = leaving(fw.value.vnet, fw.value.subnet, fw.address, out);
        if (held) return drop(label, held);
        if (into.length + out.length > 0) hops[hops.length - 1] = { ...hops.at(-1)!, ...note(hops.at(-1)!.note, [...into, ...out]) };
        firewalls.push(pos.firewall);
        lastFirewall = pos.firewall;
        tableNode = `subnet:${fw.value.vnet}/${fw.value.subnet}`;
        fromVnet = fw.value.vnet;
        annotate = true;
        break;
      }
    }
    const table = dp.table(tableNode!);
    const hit = table ? lookup(table, dst) : undefined;
    if (!hit) return drop(label, `no route toward ${addressText(dst)}`);
    if (annotate) hops[hops.length - 1] = { ...hops.at(-1)!, route: routeText(hit), via: hit.route.hop };
    else hops.push({ node: label, element: elementOf(pos, label), route: routeText(hit), via: hit.route.hop, ...note(arriving, startNotes) });
    startNotes = [];
    if (hit.action.to === 'drop') return drop(label, hit.action.why);
    const refused = peeringRefuses(dp, fromVnet, hit.action, src);
    if (refused) return drop(label, refused);
    pos = next(hit.action);
  }
  return drop(hops.at(-1)?.node ?? 'start', `more than ${MAX_HOPS} hops`);
}

/** Why the security group of a test machine in an AWS-hosted site refuses a connection to it, if it does. */
function awsIngressRefuses(dp: DataPlane, site: string, src: Address, dst: Address): string | undefined {
  if (dst.version !== 4) return undefined;
  const endpoint = dp.topology.testEndpoints.find((t) => 'site' in t.attach && t.attach.site === site && t.privateIp === addressText(dst));
  if (!endpoint) return undefined;
  const ingress = awsTestEndpointIngress(site, dp.topology, dp.index);
  if (ingress.length === 0 || ingress.some((t) => inPrefix(prefix(t)!, src))) return undefined;
  return `the security group of ${endpoint.name} (generated for site ${site}'s AWS stack) lets in only ${ingress.join(', ')} (the site's VPC and the Azure prefixes its tunnels carry), not ${addressText(src)}`;
}

/** The subnet of a VNet holding an address (IPv4 or IPv6). */
function subnetHolding(vnet: Vnet, a: Address): Subnet | undefined {
  return vnet.subnets.find((s) => inPrefix(prefix(s.prefix)!, a) || (s.ipv6Prefix !== undefined && inPrefix(prefix(s.ipv6Prefix)!, a)));
}

/** The firewall of a VNet whose NIC has this address. */
function firewallAt(dp: DataPlane, vnet: string, a: Address): PlaneFirewall | undefined {
  return [...dp.firewalls.values()].find((f) => f.value.vnet === vnet && f.address.version === a.version && f.address.value === a.value);
}

/** The VNet whose routes a table holds: a subnet's, or an app's integration VNet. */
function vnetOfTable(dp: DataPlane, node: string): string | undefined {
  if (node.startsWith('subnet:')) return node.slice('subnet:'.length, node.indexOf('/'));
  if (node.startsWith('app:')) return dp.index.appServices.get(node.slice('app:'.length))?.value.integration.vnet;
  return undefined;
}

/**
 * Traffic forwarded into a peered VNet (its source is not the sending VNet's own) enters only when
 * the peering allows forwarded traffic (allowForwardedTraffic; an NVA in a hub needs it).
 */
function peeringRefuses(dp: DataPlane, from: string | undefined, action: Action, src: Address): string | undefined {
  if (!from || action.to !== 'vnet' || action.vnet === from) return undefined;
  const peering = dp.topology.azure.peerings.find((p) => p.vnets.includes(from) && p.vnets.includes(action.vnet));
  if (!peering || peering.allowForwardedTraffic) return undefined;
  const sending = dp.index.vnets.get(from)?.value;
  const own = [...(sending?.addressSpace ?? [])].some((t) => inPrefix(prefix(t)!, src));
  return own ? undefined : `peering "${peering.name}" does not allow forwarded traffic, and ${addressText(src)} is not ${from}'s own address`;
}

function positionKey(p: Position): string {
  switch (p.at) {
    case 'table':
      return p.node;
    case 'vnet':
      return `vnet:${p.vnet}`;
    case 'gateway':
    case 'gateway-in':
    case 'p2s':
      return `${p.at}:${p.gateway}`;
    case 'firewall':
      return `firewall:${p.firewall}`;
    case 'site':
      return `site-at:${p.site}`;
    case 'internet':
      return `internet:${p.by}:${p.vnet ?? p.site ?? ''}`;
  }
}

function next(a: Exclude<Action, { to: 'drop' }>): Position {
  switch (a.to) {
    case 'vnet':
      return { at: 'vnet', vnet: a.vnet };
    case 'gateway':
      return { at: 'gateway', gateway: a.gateway };
    case 'gateway-in':
      return { at: 'gateway-in', gateway: a.gateway };
    case 'firewall':
      return { at: 'firewall', firewall: a.firewall };
    case 'internet':
      return { at: 'internet', by: a.by, ...(a.vnet ? { vnet: a.vnet } : {}), ...(a.site ? { site: a.site } : {}) };
    case 'site':
      return { at: 'site', site: a.site };
    case 'p2s':
      return { at: 'p2s', gateway: a.gateway };
  }
}

function routeText(e: TableEntry): string {
  return `${e.route.prefix} → ${e.route.nextHop} (${e.route.origin}${e.route.source ? ` ${e.route.source}` : ''})`;
}
