/**
 * FRR configuration for a lab router: static routes (staticd), BGP sessions, prefix lists and
 * route maps (bgpd), in one file that zebra, staticd and bgpd each read. Timers are a lab's: BGP
 * keepalive 1 s, hold 3 s, connect retry 1 s, no advertisement interval, so a session comes up and
 * a failure is noticed in seconds; updates go out at once (coalesce time 50 ms, not FRR's 1 s).
 *
 *   router bgp 65515
 *    neighbor 10.60.0.4 remote-as 65060
 *    neighbor 10.60.0.4 update-source 10.100.0.4
 */

export interface FrrStatic {
  readonly prefix: string;
  readonly via?: string;
  readonly dev?: string;
  readonly blackhole?: boolean;
  /** Administrative distance (a backup route: 250). */
  readonly distance?: number;
}

export interface FrrNeighbor {
  readonly address: string;
  readonly remoteAs: number;
  readonly updateSource?: string;
  /** Not on a shared link: over a tunnel, or to a loopback. */
  readonly multihop?: boolean;
  readonly weight?: number;
  readonly nextHopSelf?: boolean;
  readonly reflectorClient?: boolean;
  routeMapIn?: string;
  routeMapOut?: string;
  /** What the session is to the plan (a site over a connection, Route Server, the other gateway); not printed. */
  readonly role?: 'site' | 'route-server' | 'gateway' | 'branch' | 'reflected';
  readonly connection?: string;
}

export interface FrrPrefixEntry {
  readonly action: 'permit' | 'deny';
  readonly prefix: string;
  readonly ge?: number;
  readonly le?: number;
}

export interface FrrRouteMapEntry {
  readonly action: 'permit' | 'deny';
  readonly prefixList?: string;
  readonly asPath?: string;
}

export interface FrrSpec {
  readonly hostname: string;
  asn?: number;
  routerId?: string;
  readonly statics: FrrStatic[];
  readonly networks: string[];
  readonly neighbors: FrrNeighbor[];
  readonly prefixLists: Map<string, FrrPrefixEntry[]>;
  readonly routeMaps: Map<string, FrrRouteMapEntry[]>;
  readonly asPathLists: Map<string, { action: 'permit' | 'deny'; regex: string }[]>;
}

export function frrSpec(hostname: string): FrrSpec {
  return { hostname, statics: [], networks: [], neighbors: [], prefixLists: new Map(), routeMaps: new Map(), asPathLists: new Map() };
}

/** Adds a route map (replacing one of the same name). */
export function routeMap(spec: FrrSpec, name: string, entries: FrrRouteMapEntry[]): string {
  spec.routeMaps.set(name, entries);
  return name;
}

/** Adds a prefix list; an empty list denies nothing (it permits no prefix, so `deny` entries using it match nothing). */
export function prefixList(spec: FrrSpec, name: string, entries: FrrPrefixEntry[]): string {
  spec.prefixLists.set(name, entries);
  return name;
}

export function renderFrr(spec: FrrSpec): string {
  // Next hops may resolve through a default route (Route Server reaches the gateways through its subnet's).
  const lines = ['frr defaults traditional', `hostname ${spec.hostname}`, 'log timestamp precision 3', 'no ipv6 forwarding', 'ip nht resolve-via-default', '!'];
  for (const s of spec.statics) lines.push(`ip route ${s.prefix} ${s.blackhole ? 'blackhole' : [s.via, s.dev].filter(Boolean).join(' ')}${s.distance ? ` ${s.distance}` : ''}`);
  if (spec.statics.length > 0) lines.push('!');
  for (const [name, entries] of spec.prefixLists) {
    // An empty list still has to exist for the route maps that name it.
    const list = entries.length > 0 ? entries : [{ action: 'deny' as const, prefix: '255.255.255.255/32' }];
    list.forEach((e, i) => lines.push(`ip prefix-list ${name} seq ${(i + 1) * 5} ${e.action} ${e.prefix}${e.ge ? ` ge ${e.ge}` : ''}${e.le ? ` le ${e.le}` : ''}`));
  }
  for (const [name, entries] of spec.asPathLists) for (const e of entries) lines.push(`bgp as-path access-list ${name} ${e.action} ${e.regex}`);
  for (const [name, entries] of spec.routeMaps) {
    entries.forEach((e, i) => {
      lines.push(`route-map ${name} ${e.action} ${(i + 1) * 10}`);
      if (e.prefixList) lines.push(` match ip address prefix-list ${e.prefixList}`);
      if (e.asPath) lines.push(` match as-path ${e.asPath}`);
      lines.push('exit');
    });
  }
  if (spec.asn !== undefined) {
    lines.push('!', `router bgp ${spec.asn}`, ` bgp router-id ${spec.routerId}`, ' no bgp ebgp-requires-policy', ' no bgp default ipv4-unicast', ' bgp log-neighbor-changes', ' timers bgp 1 3', ' coalesce-time 50', ' bgp bestpath as-path multipath-relax');
    for (const n of spec.neighbors) {
      lines.push(` neighbor ${n.address} remote-as ${n.remoteAs}`, ` neighbor ${n.address} timers connect 1`, ` neighbor ${n.address} advertisement-interval 0`);
      if (n.updateSource) lines.push(` neighbor ${n.address} update-source ${n.updateSource}`);
      if (n.multihop && n.remoteAs !== spec.asn) lines.push(` neighbor ${n.address} ebgp-multihop 8`);
    }
    lines.push(' !', ' address-family ipv4 unicast');
    for (const p of spec.networks) lines.push(`  network ${p}`);
    lines.push('  maximum-paths 8', '  maximum-paths ibgp 8');
    for (const n of spec.neighbors) {
      lines.push(`  neighbor ${n.address} activate`);
      if (n.weight !== undefined) lines.push(`  neighbor ${n.address} weight ${n.weight}`);
      if (n.nextHopSelf) lines.push(`  neighbor ${n.address} next-hop-self`);
      if (n.reflectorClient) lines.push(`  neighbor ${n.address} route-reflector-client`);
      if (n.routeMapIn) lines.push(`  neighbor ${n.address} route-map ${n.routeMapIn} in`);
      if (n.routeMapOut) lines.push(`  neighbor ${n.address} route-map ${n.routeMapOut} out`);
    }
    lines.push(' exit-address-family', 'exit');
  }
  lines.push('!', 'end', '');
  return lines.join('\n');
}

/**
 * The host route to a BGP peer over a tunnel, with a null route behind it: while the tunnel is down
 * the peer is unreachable, as a VPN device's route bound to its tunnel interface is, instead of
 * being reached through routes learned from another peer (a session kept alive the wrong way).
 */
export function peerRoute(spec: FrrSpec, peer: string, via: string): void {
  spec.statics.push({ prefix: `${peer}/32`, via });
  if (!spec.statics.some((s) => s.prefix === `${peer}/32` && s.blackhole)) spec.statics.push({ prefix: `${peer}/32`, blackhole: true, distance: 250 });
}
