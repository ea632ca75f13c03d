/**
 * The topology as a graph a network engineer reads: each VNet a box holding its subnets, and each
 * subnet the gateways, Route Server and firewall that live in it; a VPN gateway holds its
 * instances, and every tunnel is drawn from the instance it ends on; sites with where they are
 * hosted; App Service. Lines: tunnels, ExpressRoute, peerings, the route tables that send
 * traffic to a firewall, and the BGP sessions (over each tunnel, Route Server with the gateways
 * and its appliance peers). One graph feeds the SVG (laid out by ELK) and the Mermaid text.
 */
import { connectionTunnels, type ContextIntent, type Topology, type TopologyIndex } from '@hybridnet/model';
import { firewallRoutes } from './paths.ts';

export type NodeKind = 'vnet' | 'subnet' | 'gateway' | 'instance' | 'expressroute' | 'routeserver' | 'firewall' | 'appliance' | 'site' | 'vpc' | 'endpoint' | 'app';

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly lines: string[];
  readonly children: DiagramNode[];
}

export interface DiagramEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label: string;
  readonly style: 'tunnel' | 'expressroute' | 'peering' | 'route' | 'bgp' | 'link';
}

/** An intent's path: the boxes its shown flow crosses, in order, and a line saying where it goes. */
export interface DiagramPath {
  readonly id: string;
  readonly intent: string;
  readonly holds: boolean;
  readonly label: string;
  readonly nodes: string[];
}

export interface Diagram {
  readonly title: string;
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
  readonly paths: DiagramPath[];
}

const node = (id: string, kind: NodeKind, lines: string[], children: DiagramNode[] = []): DiagramNode => ({ id, kind, lines, children });

/** The id of a VPN gateway instance's box. */
const instanceId = (gateway: string, instance: number) => `vgw:${gateway}/${instance}`;
/** Azure's own ASN for the Microsoft edge of ExpressRoute private peering. */
const MICROSOFT_ER_ASN = 12076;

export function topologyGraph(topology: Topology, index: TopologyIndex, intents: readonly ContextIntent[] = []): Diagram {
  const nodes: DiagramNode[] = [];
  // Test endpoints: in their subnet, or in their site (in its AWS subnet when the site is simulated in AWS).
  const nsg = (name: string | undefined) => (name ? [`NSG ${name}`] : []);
  const endpoint = (t: Topology['testEndpoints'][number]) => node(`ep:${t.name}`, 'endpoint', [`test ${t.name}`, ...(t.privateIp ? [t.privateIp] : []), ...nsg(t.networkSecurityGroup)]);
  const endpointsIn = (where: string) => topology.testEndpoints.filter((t) => ('vnet' in t.attach ? `${t.attach.vnet}/${t.attach.subnet}` : `site:${t.attach.site}`) === where).map(endpoint);
  const edges: DiagramEdge[] = [];
  const edge = (source: string, target: string, label: string, style: DiagramEdge['style']) => edges.push({ id: `e${edges.length}`, source, target, label, style });

  for (const vnet of topology.azure.vnets) {
    // What sits in each subnet; a subnet that does not exist (validate says so) leaves it in the VNet.
    const inSubnet = new Map<string, DiagramNode[]>();
    const loose: DiagramNode[] = [];
    const place = (subnet: string, n: DiagramNode) => (vnet.subnets.some((s) => s.name === subnet) ? inSubnet.set(subnet, [...(inSubnet.get(subnet) ?? []), n]) : loose.push(n));
    const gw = vnet.vpnGateway;
    if (gw) {
      const count = gw.activeActive ? 2 : 1;
      const instances = Array.from({ length: count }, (_, i) => node(instanceId(gw.name, i), 'instance', [`instance ${i}`, ...(gw.bgp?.instances?.[i]?.apipa ? [`APIPA ${gw.bgp.instances[i]!.apipa!.join(', ')}`] : [])]));
      place('GatewaySubnet', node(`vgw:${gw.name}`, 'gateway', [`VPN gateway ${gw.name}`, `${gw.sku}, ${gw.activeActive ? 'active-active' : 'active-standby'}`, gw.bgp ? `BGP AS ${gw.bgp.asn}` : 'static routing', ...(gw.pointToSite ? [`P2S ${gw.pointToSite.addressPool.join(', ')}`] : [])], instances));
    }
    if (vnet.expressRouteGateway) place('GatewaySubnet', node(`ergw:${vnet.expressRouteGateway.name}`, 'expressroute', [`ExpressRoute gateway ${vnet.expressRouteGateway.name}`, vnet.expressRouteGateway.sku]));
    const rs = vnet.routeServer;
    if (rs) {
      place('RouteServerSubnet', node(`rs:${rs.name}`, 'routeserver', [`Route Server ${rs.name}`, 'AS 65515', rs.branchToBranch ? 'branch-to-branch on' : 'branch-to-branch off']));
      // Route Server peers over iBGP with the gateways of its VNet, whatever branch-to-branch says
      // (that decides whether routes pass between them).
      const exchange = rs.branchToBranch ? 'routes exchanged' : 'no branch-to-branch';
      if (gw) edge(`rs:${rs.name}`, `vgw:${gw.name}`, `iBGP, ${exchange}`, 'bgp');
      if (vnet.expressRouteGateway) edge(`rs:${rs.name}`, `ergw:${vnet.expressRouteGateway.name}`, `iBGP, ${exchange}`, 'bgp');
    }
    for (const fw of topology.azure.firewalls.filter((f) => f.vnet === vnet.name)) place(fw.subnet, node(`fw:${fw.name}`, 'firewall', [`CloudGen Firewall ${fw.name}`, fw.privateIp, ...nsg(fw.networkSecurityGroup)]));
    const children = vnet.subnets.map((s) => node(`subnet:${vnet.name}/${s.name}`, 'subnet', [s.name, s.prefix, ...(s.routeTable ? [`route table ${s.routeTable}`] : []), ...nsg(s.networkSecurityGroup)], [...(inSubnet.get(s.name) ?? []), ...endpointsIn(`${vnet.name}/${s.name}`)]));
    nodes.push(node(`vnet:${vnet.name}`, 'vnet', [`VNet ${vnet.name}`, vnet.addressSpace.join(', ')], [...children, ...loose]));
  }

  for (const site of topology.sites) {
    const hosting = site.hosting.type === 'aws' ? `simulated in AWS ${site.hosting.region}` : site.hosting.type === 'azure' ? `simulated by VNet ${site.hosting.vnet}` : 'on premises';
    const device = site.device.type === 'rras' ? `RRAS ${site.device.privateIp}` : site.device.type.replace(/-/g, ' ');
    const endpoints = endpointsIn(`site:${site.name}`);
    // A site simulated in AWS holds its VPC, and the VPC the subnet of the VPN instance and the test machines.
    const inside = site.hosting.type === 'aws'
      ? [node(`vpc:${site.name}`, 'vpc', [`AWS VPC ${site.hosting.vpcCidr}`, site.hosting.region], [node(`vpc-subnet:${site.name}`, 'subnet', [`subnet ${site.hosting.subnetCidr}`], [node(`device:${site.name}`, 'appliance', [device]), ...endpoints])])]
      : endpoints;
    nodes.push(node(`site:${site.name}`, 'site', [`site ${site.name}`, site.lan.join(', '), ...(site.hosting.type === 'aws' ? [] : [device]), hosting, ...(site.bgp ? [`BGP AS ${site.bgp.asn}`] : [])], inside));
    if (site.hosting.type === 'azure') edge(`site:${site.name}`, `vnet:${site.hosting.vnet}`, 'simulated by', 'link');
  }

  for (const app of topology.azure.appServices) {
    nodes.push(node(`app:${app.name}`, 'app', [`App Service ${app.name}`, `plan ${app.plan.name} (${app.plan.sku})`]));
    const i = app.integration;
    // Gateway-required integration joins the VNet's gateway; drawn to the VNet when it has none (validate says why).
    const gateway = index.vnets.get(i.vnet)?.value.vpnGateway?.name;
    edge(`app:${app.name}`, i.type === 'regional' ? `subnet:${i.vnet}/${i.subnet}` : gateway ? `vgw:${gateway}` : `vnet:${i.vnet}`, i.type === 'regional' ? 'regional VNet integration' : 'gateway-required integration (P2S)', 'link');
  }

  const gatewayAsn = (name: string) => index.vpnGateways.get(name)?.value.bgp?.asn;
  for (const c of topology.connections) {
    const site = c.type === 'vnet-to-vnet' ? undefined : index.sites.get(c.site)?.value;
    if (c.type === 'site-to-site') {
      // One line per tunnel, from the instance it ends on; over each, its BGP session.
      for (const t of connectionTunnels(c, index)) {
        const weight = t.weight !== undefined ? `, weight ${t.weight}` : '';
        edge(instanceId(c.gateway, t.instance), `site:${c.site}`, `${c.name}: IPsec ${c.ikeVersion}, ${c.bgp ? 'BGP' : 'static'}${weight}`, 'tunnel');
        if (c.bgp && site?.bgp) edge(instanceId(c.gateway, t.instance), `site:${c.site}`, `eBGP AS ${gatewayAsn(c.gateway) ?? 65515} ↔ AS ${site.bgp.asn}`, 'bgp');
      }
    } else if (c.type === 'vnet-to-vnet') {
      edge(`vgw:${c.gateways[0]}`, `vgw:${c.gateways[1]}`, `${c.name}: VNet-to-VNet${c.bgp ? ', BGP' : ''}`, 'tunnel');
      if (c.bgp) edge(`vgw:${c.gateways[0]}`, `vgw:${c.gateways[1]}`, `BGP AS ${gatewayAsn(c.gateways[0]) ?? 65515} ↔ AS ${gatewayAsn(c.gateways[1]) ?? 65515}`, 'bgp');
    } else {
      edge(`ergw:${c.gateway}`, `site:${c.site}`, `${c.name}: ExpressRoute`, 'expressroute');
      if (site?.bgp) edge(`ergw:${c.gateway}`, `site:${c.site}`, `BGP private peering, Microsoft AS ${MICROSOFT_ER_ASN} ↔ AS ${site.bgp.asn}`, 'bgp');
    }
  }

  // Route Server's appliance peers: the firewall or site device with that address, else a box of its own.
  for (const vnet of topology.azure.vnets) {
    const rs = vnet.routeServer;
    for (const peer of rs?.peers ?? []) {
      const fw = topology.azure.firewalls.find((f) => f.privateIp === peer.peerIp);
      const device = topology.sites.find((s) => s.device.type === 'rras' && s.device.privateIp === peer.peerIp);
      let target = fw ? `fw:${fw.name}` : device ? `site:${device.name}` : undefined;
      if (!target) {
        target = `peer:${rs!.name}/${peer.name}`;
        nodes.find((n) => n.id === `vnet:${vnet.name}`)!.children.push(node(target, 'appliance', [`appliance ${peer.name}`, peer.peerIp]));
      }
      edge(`rs:${rs!.name}`, target, `eBGP AS 65515 ↔ AS ${peer.asn} (${peer.name})`, 'bgp');
    }
  }

  for (const p of topology.azure.peerings) edge(`vnet:${p.vnets[0]}`, `vnet:${p.vnets[1]}`, `peering ${p.name}${p.gatewayTransitFrom ? ' (gateway transit)' : ''}`, 'peering');

  for (const vnet of topology.azure.vnets) {
    for (const subnet of vnet.subnets) {
      const byFirewall = new Map<string, string[]>();
      for (const r of firewallRoutes(subnet, index)) byFirewall.set(r.firewall, [...(byFirewall.get(r.firewall) ?? []), r.prefix]);
      for (const [fw, prefixes] of byFirewall) edge(`subnet:${vnet.name}/${subnet.name}`, `fw:${fw}`, `UDR ${prefixes.join(', ')}`, 'route');
    }
  }
  // A drawing of a topology with mistakes still draws: a line to nothing is left out, not a crash.
  const ids = boxIds(nodes);
  return summarise({ title: topology.name, nodes, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)), paths: intentPaths(topology, index, intents, ids) });
}

/** The ids of these boxes and every box inside them. */
function boxIds(nodes: readonly DiagramNode[], into = new Set<string>()): Set<string> {
  for (const n of nodes) boxIds(n.children, into.add(n.id));
  return into;
}

/** The diagram box of a hop's element (see Hop.element in the validator); undefined for the Internet. */
function boxOf(element: string, index: TopologyIndex): string | undefined {
  const colon = element.indexOf(':');
  const [kind, name] = [element.slice(0, colon), element.slice(colon + 1)];
  switch (kind) {
    case 'gateway':
      return index.vpnGateways.has(name) ? `vgw:${name}` : `ergw:${name}`;
    case 'p2s':
      return `vgw:${name}`;
    case 'firewall':
      return `fw:${name}`;
    case 'subnet':
    case 'app':
    case 'site':
    case 'vnet':
      return element;
    default:
      return undefined;
  }
}

/**
 * Each intent's path through the boxes: the request of the flow it shows (a failing one when it
 * fails), from the test endpoint it starts at to the one it ends at when they are drawn.
 */
function intentPaths(topology: Topology, index: TopologyIndex, intents: readonly ContextIntent[], ids: ReadonlySet<string>): DiagramPath[] {
  const endpointAt = (address: string) => topology.testEndpoints.find((t) => t.privateIp === address);
  return intents.flatMap((intent) => {
    const flow = intent.flows[0];
    if (!flow) return [];
    const from = endpointAt(flow.source);
    const to = endpointAt(flow.destination);
    const boxes = [from ? `ep:${from.name}` : undefined, ...flow.requestPath.map((e) => boxOf(e, index)), to ? `ep:${to.name}` : undefined];
    const nodes = boxes.filter((b): b is string => b !== undefined && ids.has(b)).filter((b, i, list) => b !== list[i - 1]);
    if (nodes.length < 2) return [];
    const ends = flow.requestPath.at(-1) === 'internet' ? ' → Internet' : '';
    return [{ id: `path-${intent.name}`, intent: intent.name, holds: intent.holds, label: `${intent.name}: ${flow.source} → ${flow.destination} (${flow.target})${ends}, ${intent.holds ? 'holds' : 'FAILS'}`, nodes }];
  });
}

/** Above this many boxes a drawing stops being readable (and ELK's layout time grows fast). */
const READABLE_NODES = 150;
/** Leaves of one kind hanging off the same box by the same kind of line fold into one box from this many. */
const FOLD_FROM = 4;

/** An edge's label without the name of the one connection or peering it stands for. */
const unnamed = (label: string): string => label.replace(/^[^:]*: /, '').replace(/^peering \S+/, 'peering');

const countNodes = (nodes: readonly DiagramNode[]): number => nodes.reduce((n, x) => n + 1 + countNodes(x.children), 0);

/**
 * A large estate drawn box by box is unreadable, so past READABLE_NODES the diagram is
 * summarised: subnets fold into their VNet ("5 subnets"), and boxes of one kind joined only to
 * the same box by the same kind of line (the 200 spokes peered to a hub, the 100 sites on one
 * gateway) fold into one box naming the first and last and how many. Small diagrams are unchanged.
 */
export function summarise(diagram: Diagram): Diagram {
  if (countNodes(diagram.nodes) <= READABLE_NODES) return diagram;
  const owner = new Map<string, string>();
  const nodes = diagram.nodes.map((n) => {
    const subnets = n.children.filter((c) => c.kind === 'subnet');
    for (const s of subnets) owner.set(s.id, n.id);
    // What lived in a folded subnet (gateways, firewall) moves up into the VNet.
    return subnets.length === 0 ? n : node(n.id, n.kind, [...n.lines, `${subnets.length} subnet${subnets.length > 1 ? 's' : ''}`], [...subnets.flatMap((s) => s.children), ...n.children.filter((c) => c.kind !== 'subnet')]);
  });
  const seen = new Set<string>();
  let edges = diagram.edges.flatMap((e) => {
    const source = owner.get(e.source) ?? e.source;
    const target = owner.get(e.target) ?? e.target;
    const key = `${source}\n${target}\n${e.style}\n${e.label}`;
    if (source === target || seen.has(key)) return [];
    seen.add(key);
    return [{ ...e, source, target }];
  });

  const touching = new Map<string, DiagramEdge[]>();
  for (const e of edges) for (const end of [e.source, e.target]) (touching.get(end) ?? touching.set(end, []).get(end)!).push(e);
  const groups = new Map<string, DiagramNode[]>();
  for (const n of nodes) {
    const own = touching.get(n.id) ?? [];
    if (n.children.length > 0 || own.length !== 1) continue;
    const e = own[0]!;
    const other = e.source === n.id ? e.target : e.source;
    const key = `${n.kind}\n${e.style}\n${other}\n${e.source === n.id ? 'out' : 'in'}\n${unnamed(e.label)}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(n);
  }
  const folded = new Map<string, string>();
  const summaries: DiagramNode[] = [];
  const summaryEdges: DiagramEdge[] = [];
  for (const [key, members] of groups) {
    if (members.length < FOLD_FROM) continue;
    const [kind, style, other, direction, label] = key.split('\n') as [NodeKind, DiagramEdge['style'], string, string, string];
    const id = `group:${summaries.length}`;
    for (const m of members) folded.set(m.id, id);
    const name = (m: DiagramNode) => m.lines[0]!;
    summaries.push(node(id, kind, [`${members.length} × ${kind === 'vnet' ? 'VNets' : `${kind}s`}`, `${name(members[0]!)} … ${name(members[members.length - 1]!)}`]));
    const [source, target] = direction === 'out' ? [id, other] : [other, id];
    summaryEdges.push({ id: `${touching.get(members[0]!.id)![0]!.id}g`, source, target, label: `${members.length} × ${label}`, style });
  }
  edges = [...edges.filter((e) => !folded.has(e.source) && !folded.has(e.target)), ...summaryEdges];
  // A path drawn through boxes that folded away would mislead: only paths whose boxes all remain stay.
  const remaining = [...nodes.filter((n) => !folded.has(n.id)), ...summaries];
  const kept = boxIds(remaining);
  return { title: diagram.title, nodes: remaining, edges, paths: diagram.paths.filter((p) => p.nodes.every((n) => kept.has(n))) };
}
