/**
 * The topology as a graph a network engineer reads: each VNet a box holding its subnets,
 * gateways (with their instances), Route Server and firewall; sites with where they are hosted;
 * App Service; tunnels labelled BGP or static, ExpressRoute, peerings, and the route tables that
 * send traffic to a firewall. One graph feeds the SVG (laid out by ELK) and the Mermaid text.
 */
import { connectionTunnels, type Topology, type TopologyIndex } from '@hybridnet/model';

export type NodeKind = 'vnet' | 'subnet' | 'gateway' | 'expressroute' | 'routeserver' | 'firewall' | 'site' | 'app';

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
  readonly style: 'tunnel' | 'expressroute' | 'peering' | 'route' | 'link';
}

export interface Diagram {
  readonly title: string;
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
}

const node = (id: string, kind: NodeKind, lines: string[], children: DiagramNode[] = []): DiagramNode => ({ id, kind, lines, children });

export function topologyGraph(topology: Topology, index: TopologyIndex): Diagram {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const edge = (source: string, target: string, label: string, style: DiagramEdge['style']) => edges.push({ id: `e${edges.length}`, source, target, label, style });

  for (const vnet of topology.azure.vnets) {
    const children: DiagramNode[] = vnet.subnets.map((s) => node(`subnet:${vnet.name}/${s.name}`, 'subnet', [s.name, s.prefix, ...(s.routeTable ? [`route table ${s.routeTable}`] : [])]));
    const gw = vnet.vpnGateway;
    if (gw) {
      const instances = gw.activeActive ? '2 instances (active-active)' : '1 instance';
      children.push(node(`vgw:${gw.name}`, 'gateway', [`VPN gateway ${gw.name}`, `${gw.sku}, ${instances}`, gw.bgp ? `BGP AS ${gw.bgp.asn}` : 'static routing', ...(gw.pointToSite ? [`P2S ${gw.pointToSite.addressPool.join(', ')}`] : [])]));
    }
    if (vnet.expressRouteGateway) children.push(node(`ergw:${vnet.expressRouteGateway.name}`, 'expressroute', [`ExpressRoute gateway ${vnet.expressRouteGateway.name}`, vnet.expressRouteGateway.sku]));
    if (vnet.routeServer) children.push(node(`rs:${vnet.routeServer.name}`, 'routeserver', [`Route Server ${vnet.routeServer.name}`, vnet.routeServer.branchToBranch ? 'branch-to-branch on' : 'branch-to-branch off']));
    for (const fw of topology.azure.firewalls.filter((f) => f.vnet === vnet.name)) children.push(node(`fw:${fw.name}`, 'firewall', [`CloudGen Firewall ${fw.name}`, fw.privateIp]));
    nodes.push(node(`vnet:${vnet.name}`, 'vnet', [`VNet ${vnet.name}`, vnet.addressSpace.join(', ')], children));
  }

  for (const site of topology.sites) {
    const hosting = site.hosting.type === 'aws' ? `simulated in AWS ${site.hosting.region}` : site.hosting.type === 'azure' ? `simulated by VNet ${site.hosting.vnet}` : 'on premises';
    const device = site.device.type === 'rras' ? `RRAS ${site.device.privateIp}` : site.device.type.replace(/-/g, ' ');
    nodes.push(node(`site:${site.name}`, 'site', [`site ${site.name}`, site.lan.join(', '), device, hosting, ...(site.bgp ? [`BGP AS ${site.bgp.asn}`] : [])]));
    if (site.hosting.type === 'azure') edge(`site:${site.name}`, `vnet:${site.hosting.vnet}`, 'simulated by', 'link');
  }

  for (const app of topology.azure.appServices) {
    nodes.push(node(`app:${app.name}`, 'app', [`App Service ${app.name}`, `plan ${app.plan.name} (${app.plan.sku})`]));
    const i = app.integration;
    // Gateway-required integration joins the VNet's gateway; drawn to the VNet when it has none (validate says why).
    const gateway = index.vnets.get(i.vnet)?.value.vpnGateway?.name;
    edge(`app:${app.name}`, i.type === 'regional' ? `subnet:${i.vnet}/${i.subnet}` : gateway ? `vgw:${gateway}` : `vnet:${i.vnet}`, i.type === 'regional' ? 'regional VNet integration' : 'gateway-required integration (P2S)', 'link');
  }

  for (const c of topology.connections) {
    if (c.type === 'site-to-site') {
      const tunnels = connectionTunnels(c, index).length;
      edge(`vgw:${c.gateway}`, `site:${c.site}`, `${c.name}: IPsec ${c.ikeVersion}, ${c.bgp ? 'BGP' : 'static'}, ${tunnels} tunnel${tunnels > 1 ? 's' : ''}`, 'tunnel');
    } else if (c.type === 'vnet-to-vnet') {
      edge(`vgw:${c.gateways[0]}`, `vgw:${c.gateways[1]}`, `${c.name}: VNet-to-VNet${c.bgp ? ', BGP' : ''}`, 'tunnel');
    } else {
      edge(`ergw:${c.gateway}`, `site:${c.site}`, `${c.name}: ExpressRoute`, 'expressroute');
    }
  }

  for (const p of topology.azure.peerings) edge(`vnet:${p.vnets[0]}`, `vnet:${p.vnets[1]}`, `peering ${p.name}${p.gatewayTransitFrom ? ' (gateway transit)' : ''}`, 'peering');

  for (const vnet of topology.azure.vnets) {
    for (const subnet of vnet.subnets) {
      const table = subnet.routeTable ? index.routeTables.get(subnet.routeTable)?.value : undefined;
      const byFirewall = new Map<string, string[]>();
      for (const r of table?.routes ?? []) if (typeof r.nextHop === 'object') byFirewall.set(r.nextHop.virtualAppliance, [...(byFirewall.get(r.nextHop.virtualAppliance) ?? []), r.prefix]);
      for (const [fw, prefixes] of byFirewall) edge(`subnet:${vnet.name}/${subnet.name}`, `fw:${fw}`, `UDR ${prefixes.join(', ')}`, 'route');
    }
  }
  // A drawing of a topology with mistakes still draws: a line to nothing is left out, not a crash.
  const ids = new Set<string>();
  const collect = (list: readonly DiagramNode[]): void => list.forEach((n) => (ids.add(n.id), collect(n.children)));
  collect(nodes);
  return summarise({ title: topology.name, nodes, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
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
    return subnets.length === 0 ? n : node(n.id, n.kind, [...n.lines, `${subnets.length} subnet${subnets.length > 1 ? 's' : ''}`], n.children.filter((c) => c.kind !== 'subnet'));
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
  return { title: diagram.title, nodes: [...nodes.filter((n) => !folded.has(n.id)), ...summaries], edges };
}
