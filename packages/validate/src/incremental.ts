/**
 * Failure analysis that works out again only what a failure touches. A failure set (./failures.ts)
 * comes down to an effect on the configuration: connections gone or left with fewer tunnels,
 * point-to-site pools gone with their gateway, Route Servers gone, firewalls passing nothing.
 * From it:
 *
 * 1. the control plane is worked out again for the nodes whose routes depend on what changed
 *    (gateways, their VNet-to-VNet transit partners and co-existing gateways, the sites that learn
 *    from them, gateways playing a changed site), the rest taken from the network as it is;
 * 2. the subnets and apps behind a changed gateway change only in what that gateway teaches them,
 *    so their changed prefixes are known without working them out; their routes are worked out
 *    only if an intent's walk asks for them;
 * 3. each intent's footprint (the tables its walks consulted, the firewalls they crossed, the
 *    addresses they looked up: ./intents.ts) says whether anything it depends on changed; only
 *    those intents are answered again, on the network with the failure. The others keep their
 *    answer: every step of every walk would decide as before.
 *
 * Ranges are cut at the prefixes the configuration names (dataplane.ts, configurationPrefixes), so
 * a failure moves the cuts only where it changes the configuration (a connection's address spaces,
 * a pool, a firewall's rules), and the intents whose ranges those cuts fall in are answered again.
 * The answers equal a full recomputation (topologyWithFailures, then evaluateIntents): a property
 * test holds them to it on random topologies and the examples.
 */
import type { Prefix, Topology, TopologyIndex, Vnet } from '@hybridnet/model';
import { configurationPrefixes, deriveDataPlane, elementPrefixes, prefix, type DataPlane } from './dataplane.ts';
import { applyEffect, effectOf, type Effect } from './failures.ts';
import { answerIntents, boundaryPoints, evaluationOf, type Evaluation, type IntentResult, type Placements } from './intents.ts';
import { appRoutes, controlPlane, gatewayVnetOf, planeOf, routeServerExchanges, simulateRoutes, SubnetRoutes, type ControlPlane, type RouteSet, type SimRoute } from './simulate.ts';

function effectKey(e: Effect): string {
  const sorted = (s: Iterable<string>) => [...s].sort().join(',');
  return [sorted(e.connections), sorted([...e.tunnels].map(([c, t]) => `${c}/${t.map((x) => x.instance).join('+')}`)), sorted(e.pools), sorted(e.routeServers), sorted(e.firewalls)].join('|');
}

const isEmpty = (e: Effect) => e.connections.size + e.tunnels.size + e.pools.size + e.routeServers.size + e.firewalls.size === 0;

/** A route list by prefix: what a table does with each (its routes' next hops, origins, sources, whether active). */
function byPrefix(routes: readonly SimRoute[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of routes) {
    const text = `${r.nextHop}\u0000${r.origin}\u0000${r.source}\u0000${r.active ?? ''}\n`;
    out.set(r.prefix, (out.get(r.prefix) ?? '') + text);
  }
  return out;
}

/** The prefixes two route lists route differently. */
function changedPrefixes(before: readonly SimRoute[], after: readonly SimRoute[]): Prefix[] {
  const a = byPrefix(before);
  const b = byPrefix(after);
  const out: Prefix[] = [];
  for (const [p, text] of a) if (b.get(p) !== text) out.push(prefix(p)!);
  for (const p of b.keys()) if (!a.has(p)) out.push(prefix(p)!);
  return out.filter(Boolean);
}

const cutKey = (p: Prefix) => `${p.version}:${p.first}:${p.last}`;
const overlaps = (a: Prefix, b: Prefix) => a.version === b.version && a.first <= b.last && b.first <= a.last;

/** The intents' answers under a failure set, and what working them out took (nothing when the same effect was answered before). */
export interface FailureAnswer {
  /** Each intent asked about, by its position: its answer with the failure. */
  readonly results: ReadonlyMap<number, IntentResult>;
  /** Nodes worked out again (gateways, sites) or marked changed (VNets behind a changed gateway). */
  readonly work: number;
  /** Intents answered again (the others' answers are those without the failure). */
  readonly answered: number;
}

/**
 * One topology's failure analysis: the network as it is (its simulation, data plane and each
 * intent's footprint), and the answers of each effect already asked for.
 */
export class FailureAnalysis {
  private readonly evaluation: Evaluation;
  private readonly plane: ControlPlane;
  private readonly subnets: SubnetRoutes;
  /** Intents by the tables their walks consulted. */
  private readonly byTable = new Map<string, number[]>();
  private readonly byFirewall = new Map<string, number[]>();
  /** For each gateway VNet, the VNets whose subnets use its gateways (itself and its transit spokes). */
  private readonly domains = new Map<string, Vnet[]>();
  private readonly vnetPosition = new Map<string, number>();
  /** How many times the configuration names each prefix (a cut stays while any names it). */
  private readonly named = new Map<string, number>();
  private readonly placements: Placements = { placed: new Map(), targetEndpoints: new Map() };
  private readonly answered = new Map<string, { readonly changed: ReadonlyMap<number, IntentResult>; readonly work: number }>();

  constructor(
    private readonly topology: Topology,
    private readonly index: TopologyIndex,
  ) {
    this.evaluation = evaluationOf(topology, index);
    ({ plane: this.plane, subnets: this.subnets } = planeOf(simulateRoutes(topology, index)));
    this.evaluation.footprints.forEach((f, i) => {
      for (const t of f.tables) (this.byTable.get(t) ?? this.byTable.set(t, []).get(t)!).push(i);
      for (const t of f.firewalls) (this.byFirewall.get(t) ?? this.byFirewall.set(t, []).get(t)!).push(i);
    });
    topology.azure.vnets.forEach((v, i) => {
      this.vnetPosition.set(v.name, i);
      const hub = gatewayVnetOf(v, topology, index);
      if (hub) (this.domains.get(hub.name) ?? this.domains.set(hub.name, []).get(hub.name)!).push(v);
    });
    for (const t of configurationPrefixes(topology, index)) this.named.set(t, (this.named.get(t) ?? 0) + 1);
  }

  /** The intents at `at` (all by default) with `elements` down. */
  answer(elements: readonly string[], at: readonly number[] = this.topology.intents.map((_, i) => i)): FailureAnswer {
    const effect = effectOf(this.topology, this.index, elements);
    const key = effectKey(effect);
    let found = this.answered.get(key);
    const fresh = !found;
    if (!found) this.answered.set(key, (found = this.answerEffect(effect)));
    const { changed, work } = found;
    return { results: new Map(at.map((i) => [i, changed.get(i) ?? this.evaluation.results[i]!])), work: fresh ? work : 0, answered: fresh ? changed.size : 0 };
  }

  private answerEffect(effect: Effect): { changed: Map<number, IntentResult>; work: number } {
    const { topology, index } = this;
    if (isEmpty(effect)) return { changed: new Map(), work: 0 };
    const failed = applyEffect(topology, index, effect);

    // 1. The control plane nodes to work out again: those the effect touches, and everything that
    //    learns from them, until nothing more is added.
    const vpn = new Set<string>();
    const exr = new Set<string>();
    const sites = new Set<string>();
    for (const name of [...effect.connections, ...effect.tunnels.keys()]) {
      const c = index.connections.get(name)!.value;
      if (c.type === 'vnet-to-vnet') c.gateways.forEach((g) => vpn.add(g));
      else (c.type === 'expressroute' ? exr : vpn).add(c.gateway), sites.add(c.site);
    }
    for (const g of effect.pools) {
      vpn.add(g);
      // A static site sends its gateway's pool into the tunnel unless told what to send.
      for (const c of topology.connections) if (c.type === 'site-to-site' && c.gateway === g && !c.azureAddressSpace) sites.add(c.site);
    }
    for (const rs of effect.routeServers) {
      const vnet = index.routeServers.get(rs)!.vnet;
      if (vnet.vpnGateway) vpn.add(vnet.vpnGateway.name);
      if (vnet.expressRouteGateway) exr.add(vnet.expressRouteGateway.name);
    }
    for (let size = -1; size !== vpn.size + exr.size + sites.size; ) {
      size = vpn.size + exr.size + sites.size;
      for (const c of topology.connections) {
        if (c.type === 'vnet-to-vnet') {
          if (c.bgp && (vpn.has(c.gateways[0]) || vpn.has(c.gateways[1]))) c.gateways.forEach((g) => vpn.add(g));
        } else if (c.type === 'site-to-site') {
          if (c.bgp && vpn.has(c.gateway)) sites.add(c.site);
        } else if (exr.has(c.gateway)) sites.add(c.site);
      }
      for (const [name, entry] of index.expressRouteGateways) {
        const g = entry.vnet.vpnGateway?.name;
        if (!g) continue;
        if (vpn.has(g)) exr.add(name);
        const failedVnet = failed.index.vnets.get(entry.vnet.name)!.value;
        if (exr.has(name) && (routeServerExchanges(entry.vnet) || routeServerExchanges(failedVnet))) vpn.add(g);
      }
      for (const s of topology.sites) if (s.device.type === 'azure-vpn-gateway' && sites.has(s.name)) vpn.add(s.device.gateway);
    }
    const plane = controlPlane(failed.topology, failed.index, { vpn, exr, sites, base: this.plane });

    // 2. What changed where: the control plane nodes by their routes; the subnets and apps behind a
    //    changed gateway by what it teaches them.
    const changed = new Map<string, { prefixes: Prefix[]; set?: () => RouteSet }>();
    const once = (make: () => RouteSet) => {
      let set: RouteSet | undefined;
      return () => (set ??= make());
    };
    for (const [name, entry] of index.vpnGateways) {
      if (!vpn.has(name)) continue;
      const routes = plane.vpn.get(name)!;
      changed.set(`gateway:${name}`, { prefixes: changedPrefixes(this.plane.vpn.get(name)!, routes), set: () => ({ kind: 'vpn-gateway', name, path: entry.path, routes }) });
    }
    for (const [name, entry] of index.expressRouteGateways) {
      if (!exr.has(name)) continue;
      const routes = plane.exr.get(name)!;
      changed.set(`gateway:${name}`, { prefixes: changedPrefixes(this.plane.exr.get(name)!, routes), set: () => ({ kind: 'expressroute-gateway', name, path: entry.path, routes }) });
    }
    for (const name of sites) {
      const set = plane.sites.get(name)!;
      changed.set(`site:${name}`, { prefixes: changedPrefixes(this.plane.sites.get(name)!.routes, set.routes), set: () => set });
    }
    const subnets = new SubnetRoutes(failed.topology, failed.index, plane);
    const ofVnet = new Map<string, RouteSet[]>();
    const subnetSet = (vnet: string, subnet: string) => {
      let sets = ofVnet.get(vnet);
      if (!sets) ofVnet.set(vnet, (sets = subnets.ofVnet(failed.index.vnets.get(vnet)!.value, this.vnetPosition.get(vnet)!)));
      return sets.find((s) => s.name === `${vnet}/${subnet}`)!;
    };
    let work = vpn.size + exr.size + sites.size;
    for (const [hub, domain] of this.domains) {
      const vnet = index.vnets.get(hub)!.value;
      if (!vpn.has(vnet.vpnGateway?.name ?? '') && !exr.has(vnet.expressRouteGateway?.name ?? '')) continue;
      const prefixes = changedPrefixes(this.subnets.routesViaGateway(vnet), subnets.routesViaGateway(failed.index.vnets.get(hub)!.value));
      if (prefixes.length === 0) continue;
      for (const v of domain) {
        work++;
        for (const s of v.subnets) {
          const table = s.routeTable ? index.routeTables.get(s.routeTable)?.value : undefined;
          if (table && !table.propagateGatewayRoutes) continue;
          changed.set(`subnet:${v.name}/${s.name}`, { prefixes, set: () => subnetSet(v.name, s.name) });
        }
      }
    }
    failed.topology.azure.appServices.forEach((app, i) => {
      const integration = app.integration;
      if (integration.type === 'gateway-required') return;
      const subnet = changed.get(`subnet:${integration.vnet}/${integration.subnet}`);
      if (subnet) changed.set(`app:${app.name}`, { prefixes: subnet.prefixes, set: once(() => appRoutes(failed.topology, i, () => subnetSet(integration.vnet, integration.subnet).routes)) });
    });
    for (const g of effect.pools) changed.set(`pool:${g}`, { prefixes: (index.vpnGateways.get(g)!.value.pointToSite?.addressPool ?? []).map((t) => prefix(t)!) });

    // Cuts the configuration no longer names.
    const removed = new Map<string, number>();
    const unname = (texts: readonly string[]) => texts.forEach((t) => removed.set(t, (removed.get(t) ?? 0) + 1));
    for (const name of effect.connections) unname(elementPrefixes.connection(index.connections.get(name)!.value, index));
    for (const g of effect.pools) unname(elementPrefixes.gateway(index.vpnGateways.get(g)!.value));
    for (const f of effect.firewalls) unname(elementPrefixes.firewall(index.firewalls.get(f)!.value, index));
    const uncut = [...removed].filter(([t, n]) => (this.named.get(t) ?? 0) <= n).map(([t]) => prefix(t)!).filter(Boolean);

    // 3. The intents that depend on something that changed.
    const footprints = this.evaluation.footprints;
    const affected = new Set<number>();
    const touches = (i: number, prefixes: readonly Prefix[]) => footprints[i]!.ranges.some((r) => prefixes.some((p) => overlaps(r, p)));
    for (const [id, { prefixes }] of changed) for (const i of this.byTable.get(id) ?? []) if (!affected.has(i) && touches(i, prefixes)) affected.add(i);
    for (const f of effect.firewalls) for (const i of this.byFirewall.get(f) ?? []) affected.add(i);
    if (uncut.length > 0) footprints.forEach((_, i) => !affected.has(i) && touches(i, uncut) && affected.add(i));
    if (affected.size === 0) return { changed: new Map(), work };

    const gone = new Set(uncut.map(cutKey));
    const boundaries = uncut.length === 0 ? this.evaluation.dp.boundaries : this.evaluation.dp.boundaries.filter((p) => !gone.has(cutKey(p)));
    const dp: DataPlane = deriveDataPlane(this.evaluation.dp, failed.topology, failed.index, (id) => changed.get(id)?.set?.(), boundaries, effect.firewalls.size > 0);
    const points = uncut.length === 0 ? this.evaluation.points : boundaryPoints(dp);
    // Where sources are placed is the configuration's; only a pool taken away moves it.
    const reuse = uncut.length === 0 && effect.pools.size === 0;
    const at = [...affected].sort((a, b) => a - b);
    const answered = answerIntents(dp, points, at, reuse ? { placements: this.placements } : {});
    return { changed: new Map(at.map((i, k) => [i, answered[k]!])), work };
  }
}

const analyses = new WeakMap<Topology, FailureAnalysis>();

/** The failure analysis of a topology, once per topology object. */
export function failureAnalysis(topology: Topology, index: TopologyIndex): FailureAnalysis {
  let found = analyses.get(topology);
  if (!found) analyses.set(topology, (found = new FailureAnalysis(topology, index)));
  return found;
}
