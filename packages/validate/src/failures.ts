/**
 * Failures as topologies: what the network is with some elements down, so the route simulation
 * and the intents answer for that state (`hybridnet routes --fail`, and the lab's `lab fail`,
 * whose simulation side this is). An element is written `kind:name`:
 *
 * - `tunnel:<connection>/<n>`: the connection keeps its other tunnels (none left: no connection);
 * - `connection:<name>` (site-to-site, VNet-to-VNet or ExpressRoute; `circuit:` too): gone;
 * - `instance:<gateway>/<n>`: every connection of an active-active gateway loses its tunnel to the
 *   instance; an active-standby gateway's standby takes over its site-to-site and VNet-to-VNet
 *   connections (after a brief interruption), so nothing changes ("About active-active mode VPN
 *   gateways", learn.microsoft.com/azure/vpn-gateway/about-active-active-gateways);
 * - `gateway:<name>` (VPN or ExpressRoute): every connection on it gone, and its point-to-site;
 * - `route-server:<name>`: the VNet has no Route Server;
 * - `firewall:<name>`: the appliance passes nothing (routes still point at it, as a UDR does at a
 *   dead appliance) and its BGP sessions with Route Server are down;
 * - `site:<name>`: the site's device is down: every connection to the site gone.
 */
import { connectionTunnels, linkTopology, type Connection, type Firewall, type Topology, type TopologyIndex, type Tunnel, type Vnet } from '@hybridnet/model';
import type { Simulation } from './simulate.ts';

export const FAILURE_KINDS = ['tunnel', 'connection', 'instance', 'gateway', 'route-server', 'firewall', 'site'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/**
 * An element's id (`kind:name`, also a hop's element or where a walk was delivered) in parts;
 * for a tunnel or an instance, `owner` is its connection or gateway and `n` its number.
 */
export function elementParts(element: string): { kind: string; name: string; owner: string; n: number } {
  const colon = element.indexOf(':');
  const [kind, name] = [element.slice(0, colon), element.slice(colon + 1)];
  const slash = kind === 'tunnel' || kind === 'instance' ? name.lastIndexOf('/') : -1;
  return { kind, name, owner: slash < 0 ? name : name.slice(0, slash), n: slash < 0 ? NaN : Number(name.slice(slash + 1)) };
}

/** Every element whose failure `topologyWithFailures` can model, as `kind:name`. */
export function failureElements(topology: Topology, index: TopologyIndex): string[] {
  const out: string[] = [];
  for (const c of topology.connections) {
    out.push(`connection:${c.name}`);
    if (c.type === 'site-to-site') {
      const tunnels = connectionTunnels(c, index);
      if (tunnels.length > 1) for (const t of tunnels) out.push(`tunnel:${c.name}/${t.instance}`);
    }
  }
  for (const vnet of topology.azure.vnets) {
    const gw = vnet.vpnGateway;
    if (gw) {
      out.push(`gateway:${gw.name}`);
      if (gw.activeActive) out.push(`instance:${gw.name}/0`, `instance:${gw.name}/1`);
    }
    if (vnet.expressRouteGateway) out.push(`gateway:${vnet.expressRouteGateway.name}`);
    if (vnet.routeServer) out.push(`route-server:${vnet.routeServer.name}`);
  }
  for (const fw of topology.azure.firewalls) out.push(`firewall:${fw.name}`);
  for (const site of topology.sites) out.push(`site:${site.name}`);
  return out;
}

/**
 * The element a user names: `kind:name`, or a bare name (a connection, gateway, Route Server,
 * firewall or site), or `name/n` (a connection's tunnel or a gateway's instance). Returns the
 * `kind:name` form, or a message saying it names nothing.
 */
export function resolveFailure(text: string, topology: Topology, index: TopologyIndex): { element: string } | { error: string } {
  const known = failureElements(topology, index);
  const all = new Set([...known, ...topology.connections.flatMap((c) => (c.type === 'site-to-site' ? connectionTunnels(c, index).map((t) => `tunnel:${c.name}/${t.instance}`) : [])), ...[...index.vpnGateways.keys()].flatMap((g) => [`instance:${g}/0`, `instance:${g}/1`])]);
  const colon = text.indexOf(':');
  if (colon > 0) {
    const element = text.startsWith('circuit:') ? `connection:${text.slice('circuit:'.length)}` : text;
    return all.has(element) ? { element } : { error: `the topology has no ${text}` };
  }
  // Names are unique across a topology's objects, so a bare name is at most one element.
  const candidates = text.includes('/') ? [`tunnel:${text}`, `instance:${text}`] : FAILURE_KINDS.map((k) => `${k}:${text}`);
  const found = candidates.find((c) => all.has(c));
  return found ? { element: found } : { error: `the topology has no element "${text}"` };
}

/** What a failure set does to the configuration. */
export interface Effect {
  /** Connections gone. */
  readonly connections: ReadonlySet<string>;
  /** Site-to-site connections left with fewer tunnels: the tunnels left. */
  readonly tunnels: ReadonlyMap<string, readonly Tunnel[]>;
  /** VPN gateways whose point-to-site pool is gone. */
  readonly pools: ReadonlySet<string>;
  readonly routeServers: ReadonlySet<string>;
  readonly firewalls: ReadonlySet<string>;
}

/** The effect of `elements` (each `kind:name`) being down, as topologyWithFailures applies it. */
export function effectOf(topology: Topology, index: TopologyIndex, elements: readonly string[]): Effect {
  const connections = new Set<string>();
  const tunnels = new Map<string, Tunnel[]>();
  const pools = new Set<string>();
  const routeServers = new Set<string>();
  const firewalls = new Set<string>();
  const dropTunnel = (name: string, instance: number) => {
    const c = index.connections.get(name)?.value;
    if (!c || c.type !== 'site-to-site' || connections.has(name)) return;
    const left = (tunnels.get(name) ?? connectionTunnels(c, index)).filter((t) => t.instance !== instance);
    if (left.length === 0) connections.add(name), tunnels.delete(name);
    else tunnels.set(name, left);
  };
  const drop = (name: string) => (connections.add(name), tunnels.delete(name));
  for (const element of elements) {
    const { kind, name, owner, n } = elementParts(element);
    switch (kind) {
      case 'tunnel':
        dropTunnel(owner, n);
        break;
      case 'connection':
      case 'circuit':
        if (index.connections.has(name)) drop(name);
        break;
      case 'instance':
        if (!index.vpnGateways.get(owner)?.value.activeActive) break;
        for (const c of topology.connections) if (c.type === 'site-to-site' && c.gateway === owner) dropTunnel(c.name, n);
        break;
      case 'gateway':
        for (const c of topology.connections) if (c.type === 'vnet-to-vnet' ? c.gateways.includes(name) : c.gateway === name) drop(c.name);
        if (index.vpnGateways.get(name)?.value.pointToSite) pools.add(name);
        break;
      case 'route-server':
        if (index.routeServers.has(name)) routeServers.add(name);
        break;
      case 'firewall':
        if (index.firewalls.has(name)) firewalls.add(name);
        break;
      case 'site':
        for (const c of topology.connections) if (c.type !== 'vnet-to-vnet' && c.site === name) drop(c.name);
        break;
      default:
        throw new Error(`not an element hybridnet can fail: ${element}`);
    }
  }
  return { connections, tunnels, pools, routeServers, firewalls };
}

/**
 * The topology with the effect applied, sharing every object it does not change, and its index
 * patched to match (what topologyWithFailures builds by copying and linking the whole topology).
 */
export function applyEffect(topology: Topology, index: TopologyIndex, effect: Effect): { topology: Topology; index: TopologyIndex } {
  const connections = topology.connections.flatMap((c): Connection[] => {
    if (effect.connections.has(c.name)) return [];
    const left = effect.tunnels.get(c.name);
    return [left && c.type === 'site-to-site' ? { ...c, tunnels: [...left] } : c];
  });
  // VNets that lose a pool or a Route Server, or whose Route Server loses a failed firewall's sessions.
  const downIps = new Set([...effect.firewalls].map((f) => index.firewalls.get(f)!.value.privateIp));
  const vnets = topology.azure.vnets.map((v): Vnet => {
    const pool = v.vpnGateway && effect.pools.has(v.vpnGateway.name);
    const rs = v.routeServer && effect.routeServers.has(v.routeServer.name);
    const peers = v.routeServer && !rs && v.routeServer.peers.some((p) => downIps.has(p.peerIp));
    if (!pool && !rs && !peers) return v;
    const copy: Vnet = { ...v };
    if (pool) {
      const { pointToSite: _, ...gateway } = v.vpnGateway!;
      copy.vpnGateway = gateway;
    }
    if (rs) delete copy.routeServer;
    else if (peers) copy.routeServer = { ...v.routeServer!, peers: v.routeServer!.peers.filter((p) => !downIps.has(p.peerIp)) };
    return copy;
  });
  const firewalls = topology.azure.firewalls.map((f): Firewall => (effect.firewalls.has(f.name) ? { ...f, rules: [] } : f));
  const failed: Topology = { ...topology, azure: { ...topology.azure, vnets, firewalls }, connections };

  const changedVnets = new Map<string, Vnet>();
  vnets.forEach((v, i) => v !== topology.azure.vnets[i] && changedVnets.set(v.name, v));
  // Each entry that holds a changed VNet, or is one, or a thing in one, again with the new objects.
  const repoint = <T, E extends { readonly value: T; readonly vnet?: Vnet }>(map: ReadonlyMap<string, E>, value: (vnet: Vnet, e: E) => T | undefined): Map<string, E> => {
    const out = new Map<string, E>();
    for (const [name, e] of map) {
      const vnet = changedVnets.get(e.vnet?.name ?? (e.value as { name: string }).name);
      if (!vnet) out.set(name, e);
      else {
        const v = value(vnet, e);
        if (v !== undefined) out.set(name, { ...e, value: v, ...(e.vnet ? { vnet } : {}) });
      }
    }
    return out;
  };
  const unchanged = changedVnets.size === 0;
  const failedIndex: TopologyIndex = {
    ...index,
    vnets: unchanged ? index.vnets : repoint(index.vnets, (vnet) => vnet),
    vpnGateways: unchanged ? index.vpnGateways : repoint(index.vpnGateways, (vnet) => vnet.vpnGateway),
    expressRouteGateways: unchanged ? index.expressRouteGateways : repoint(index.expressRouteGateways, (vnet) => vnet.expressRouteGateway),
    routeServers: unchanged ? index.routeServers : repoint(index.routeServers, (vnet) => vnet.routeServer),
    firewalls: effect.firewalls.size === 0 ? index.firewalls : new Map([...index.firewalls].map(([name, e]) => [name, effect.firewalls.has(name) ? { ...e, value: firewalls.find((f) => f.name === name)! } : e])),
    connections: effect.connections.size + effect.tunnels.size === 0 ? index.connections : new Map(connections.map((c) => [c.name, c === index.connections.get(c.name)!.value ? index.connections.get(c.name)! : { ...index.connections.get(c.name)!, value: c }])),
  };
  return { topology: failed, index: failedIndex };
}

/** The topology with `elements` (each `kind:name`) down, and its index (linked anew). */
export function topologyWithFailures(topology: Topology, index: TopologyIndex, elements: readonly string[]): { topology: Topology; index: TopologyIndex } {
  const failed = applyEffect(topology, index, effectOf(topology, index, elements)).topology;
  return { topology: failed, index: linkTopology(failed).index };
}

/** One node's change in one prefix: lost, gained, or its next hops moved. */
export interface RouteChange {
  readonly node: string;
  readonly kind: Simulation['sets'][number]['kind'];
  readonly prefix: string;
  readonly change: 'lost' | 'gained' | 'moved';
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** What each node learns differently in `after` than in `before` (the next hops a subnet uses, where it says). */
export function routeChanges(before: Simulation, after: Simulation): RouteChange[] {
  const hops = (routes: Simulation['sets'][number]['routes']) => {
    const byPrefix = new Map<string, string[]>();
    for (const r of routes) if (r.active !== false) byPrefix.set(r.prefix, [...(byPrefix.get(r.prefix) ?? []), r.nextHop]);
    for (const [p, list] of byPrefix) byPrefix.set(p, [...new Set(list)].sort());
    return byPrefix;
  };
  const out: RouteChange[] = [];
  const afterSets = new Map(after.sets.map((s) => [`${s.kind} ${s.name}`, s]));
  const seen = new Set<string>();
  for (const set of before.sets) {
    const key = `${set.kind} ${set.name}`;
    seen.add(key);
    const was = hops(set.routes);
    const now = hops(afterSets.get(key)?.routes ?? []);
    for (const [prefix, list] of was) {
      const next = now.get(prefix);
      if (!next) out.push({ node: set.name, kind: set.kind, prefix, change: 'lost', before: list, after: [] });
      else if (next.join('\n') !== list.join('\n')) out.push({ node: set.name, kind: set.kind, prefix, change: 'moved', before: list, after: next });
    }
    for (const [prefix, list] of now) if (!was.has(prefix)) out.push({ node: set.name, kind: set.kind, prefix, change: 'gained', before: [], after: list });
  }
  for (const set of after.sets) {
    if (seen.has(`${set.kind} ${set.name}`)) continue;
    for (const [prefix, list] of hops(set.routes)) out.push({ node: set.name, kind: set.kind, prefix, change: 'gained', before: [], after: list });
  }
  return out;
}
