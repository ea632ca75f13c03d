/**
 * Azure's gateways in the lab: each VPN gateway instance, the ExpressRoute gateway and Route Server
 * is a namespace in its VNet's GatewaySubnet (RouteServerSubnet) running FRR; a VPN gateway with
 * point-to-site gets a strongSwan responder that hands out its pool, and each App Service app with
 * gateway-required integration a strongSwan client that asks for an address from it (IKEv2
 * standing in for SSTP, which strongSwan does not speak). A regional app is a host in its
 * integration subnet. Traffic that arrives from a tunnel, a circuit or a point-to-site client
 * enters Azure through GatewaySubnet's routes (table 200 sends it to the fabric); what the fabric
 * hands a gateway leaves by the gateway's own routes.
 */
import { connectionTunnels, RFC1918_RANGES, siteAddressSpace, vnetsBehindGateway, type SiteToSiteConnection } from '@hybridnet/model';
import { AZURE_DEFAULT_OFFERS, AZURE_LIFETIMES, nthAddress } from '../platform.ts';
import { FABRIC, INTERNET, type GatewayLab, type PlanContext } from './context.ts';
import { frrSpec, prefixList, routeMap, type FrrSpec } from './frr.ts';
import { addToElement } from './tunnels.ts';

/** Table a gateway sends arriving traffic through: everything to the fabric, where GatewaySubnet's routes apply. */
export const ENTERING = 200;
const ROUTE_SERVER_ASN = 65515;

const ipv4 = (prefixes: readonly string[]) => prefixes.filter((p) => !p.includes(':'));

function spec(ctx: PlanContext, node: string): FrrSpec {
  let s = ctx.frr.get(node);
  if (!s) ctx.frr.set(node, (s = frrSpec(node)));
  return s;
}

/** What a gateway carries toward its VNets: its own and those peered to it with gateway transit (IPv4). */
function behind(ctx: PlanContext, vnetName: string): string[] {
  const vnet = ctx.index.vnets.get(vnetName)!.value;
  return ipv4(vnetsBehindGateway(vnet, ctx.topology, ctx.index).flatMap((v) => v.addressSpace));
}

function gatewaySubnet(ctx: PlanContext, vnet: string) {
  return { seg: ctx.segments.get(`subnet:${vnet}/GatewaySubnet`), prefix: ctx.index.subnets.get(vnet)?.get('GatewaySubnet')?.value.prefix };
}

/** A gateway-side node in GatewaySubnet: joined to the fabric, its VNets routed there, arriving traffic sent there. */
function gatewayNode(ctx: PlanContext, id: string, role: 'vpn-gateway' | 'er-gateway', label: string, vnet: string, host: number): { address: string; fabricIf: string; fabricGateway: string } {
  const { seg, prefix } = gatewaySubnet(ctx, vnet);
  const node = ctx.b.node(id, role, label, true);
  const address = nthAddress(prefix!, host);
  ctx.used.add(address);
  const { memberIf } = ctx.b.attach(FABRIC, seg!.bridge, id, [`${address}/${prefix!.split('/')[1]}`]);
  node.routes.push({ table: ENTERING, prefix: '0.0.0.0/0', via: [seg!.gateway], dev: memberIf });
  const s = spec(ctx, id);
  for (const p of behind(ctx, vnet)) {
    s.statics.push({ prefix: p, via: seg!.gateway });
    s.networks.push(p);
  }
  return { address, fabricIf: memberIf, fabricGateway: seg!.gateway };
}

export function planGateways(ctx: PlanContext): void {
  let k = 0;
  for (const [name, { value: gw, vnet }] of ctx.index.vpnGateways) {
    if (!gatewaySubnet(ctx, vnet.name).seg) {
      ctx.gaps.push({ path: ['azure', 'vnets', ctx.topology.azure.vnets.indexOf(vnet), 'vpnGateway'], message: `VPN gateway "${name}" has no GatewaySubnet in VNet "${vnet.name}"` });
      continue;
    }
    const lab: GatewayLab = { name, vnet: vnet.name, asn: gw.bgp?.asn ?? 65515, instances: [] };
    for (let i = 0; i < (gw.activeActive ? 2 : 1); i++) {
      const id = `v${k}${i}`;
      const at = gatewayNode(ctx, id, 'vpn-gateway', `VPN gateway ${name}${gw.activeActive ? ` instance ${i}` : ''}`, vnet.name, 4 + i);
      const publicIp = ctx.b.alloc.public();
      ctx.publicIps.set(`instance:${name}/${i}`, publicIp);
      for (const a of gw.bgp?.instances?.[i]?.apipa ?? []) ctx.b.get(id).loopback.push(`${a}/32`);
      if (gw.activeActive) addToElement(ctx, `instance:${name}/${i}`, [{ node: id, ifname: at.fabricIf }]);
      lab.instances.push({ node: id, index: i, address: at.address, publicIp, fabricIf: at.fabricIf, fabricGateway: at.fabricGateway });
      ctx.fabricGateways.push({ node: id, kind: 'vpn', gateway: name, vnet: vnet.name, address: at.address, dev: gatewaySubnet(ctx, vnet.name).seg!.bridge, notPropagatedVia: [at.fabricGateway], peerHosts: [] });
    }
    ctx.gateways.set(name, lab);
    k++;
  }
  k = 0;
  for (const [name, { vnet }] of ctx.index.expressRouteGateways) {
    if (!gatewaySubnet(ctx, vnet.name).seg) continue;
    const id = `x${k++}`;
    const at = gatewayNode(ctx, id, 'er-gateway', `ExpressRoute gateway ${name}`, vnet.name, 6);
    ctx.erGateways.set(name, { node: id, address: at.address, vnet: vnet.name, circuits: [] });
    ctx.fabricGateways.push({ node: id, kind: 'er', gateway: name, vnet: vnet.name, address: at.address, dev: gatewaySubnet(ctx, vnet.name).seg!.bridge, notPropagatedVia: [at.fabricGateway], peerHosts: [] });
  }
  planRouteServers(ctx);
  planPointToSite(ctx);
}

/**
 * Whether Route Server exchanges routes with the VNet's gateways: branch-to-branch on, and a VPN
 * gateway (if any) active-active with ASN 65515 (articles/route-server/expressroute-vpn-support.md).
 */
function exchanges(vnet: { vpnGateway?: { activeActive: boolean; bgp?: { asn: number } } | undefined; routeServer?: { branchToBranch: boolean } | undefined }): boolean {
  const gw = vnet.vpnGateway;
  return Boolean(vnet.routeServer?.branchToBranch && (!gw || (gw.activeActive && (gw.bgp?.asn ?? 65515) === ROUTE_SERVER_ASN)));
}

function planRouteServers(ctx: PlanContext): void {
  let k = 0;
  for (const [name, { value: rs, vnet, path }] of ctx.index.routeServers) {
    if (rs.peers.length > 0) ctx.gaps.push({ path: [...path, 'peers'], message: `Route Server "${name}" peers with appliances, which the lab does not run` });
    const seg = ctx.segments.get(`subnet:${vnet.name}/RouteServerSubnet`);
    const prefix = ctx.index.subnets.get(vnet.name)?.get('RouteServerSubnet')?.value.prefix;
    if (!seg || !prefix) continue;
    const id = `rs${k++}`;
    const node = ctx.b.node(id, 'route-server', `Route Server ${name}`, false);
    const address = nthAddress(prefix, 4);
    ctx.used.add(address);
    const { memberIf } = ctx.b.attach(FABRIC, seg.bridge, id, [`${address}/${prefix.split('/')[1]}`]);
    node.routes.push({ prefix: '0.0.0.0/0', via: [seg.gateway], dev: memberIf });
    const vpn = vnet.vpnGateway ? ctx.gateways.get(vnet.vpnGateway.name) : undefined;
    const er = vnet.expressRouteGateway ? ctx.erGateways.get(vnet.expressRouteGateway.name) : undefined;
    if (!exchanges(vnet)) continue;
    const s = spec(ctx, id);
    s.asn = ROUTE_SERVER_ASN;
    s.routerId = address;
    const clients = [...(vpn?.instances.map((i) => ({ node: i.node, address: i.address })) ?? []), ...(er ? [{ node: er.node, address: er.address }] : [])];
    for (const c of clients) {
      s.neighbors.push({ address: c.address, remoteAs: ROUTE_SERVER_ASN, reflectorClient: true, multihop: true, role: 'reflected' });
      spec(ctx, c.node).neighbors.push({ address, remoteAs: ROUTE_SERVER_ASN, nextHopSelf: true, multihop: true, role: 'route-server' });
      ctx.expect.bgp.push({ node: id, peer: c.address, label: `Route Server ${name} ↔ ${c.address}` });
    }
  }
  // Co-existing gateways without Route Server exchanging: the ExpressRoute gateway learns the VPN
  // gateway's eBGP routes, one way (azure-rules.md §2.1.9).
  for (const [, er] of ctx.erGateways) {
    const vnet = ctx.index.vnets.get(er.vnet)!.value;
    const vpn = vnet.vpnGateway ? ctx.gateways.get(vnet.vpnGateway.name) : undefined;
    if (!vpn || exchanges(vnet)) continue;
    for (const i of vpn.instances) {
      spec(ctx, i.node).neighbors.push({ address: er.address, remoteAs: ROUTE_SERVER_ASN, nextHopSelf: true, multihop: true, role: 'gateway' });
      spec(ctx, er.node).neighbors.push({ address: i.address, remoteAs: ROUTE_SERVER_ASN, multihop: true, role: 'gateway' });
      ctx.expect.bgp.push({ node: er.node, peer: i.address, label: `ExpressRoute gateway ↔ VPN gateway ${vpn.name} instance ${i.index}` });
    }
  }
}

function planPointToSite(ctx: PlanContext): void {
  let k = 0;
  for (const [name, lab] of ctx.gateways) {
    const gw = ctx.index.vpnGateways.get(name)!.value;
    const pool = ipv4(gw.pointToSite?.addressPool ?? [])[0];
    const apps = ctx.topology.azure.appServices.filter((a) => a.integration.type === 'gateway-required' && a.integration.vnet === lab.vnet);
    if (!pool) continue;
    const id = `p${k++}`;
    // Point-to-site is its own endpoint in GatewaySubnet (Azure gives it a third public IP on an
    // active-active gateway), so losing one instance does not take it down. What its clients send
    // enters Azure through GatewaySubnet's routes; the pool is taught to subnets from here.
    const node = ctx.b.node(id, 'p2s', `point-to-site of ${name}`, true);
    const { seg, prefix } = gatewaySubnet(ctx, lab.vnet);
    const address = freeIn(ctx, prefix!, 4);
    const { memberIf } = ctx.b.attach(FABRIC, seg!.bridge, id, [`${address}/${prefix!.split('/')[1]}`]);
    for (const instance of lab.instances) {
      // In the instances' RIB too, so BGP advertises the pool (where the topology says Azure does).
      spec(ctx, instance.node).statics.push({ prefix: pool, via: address });
      spec(ctx, instance.node).networks.push(pool);
    }
    ctx.fabricGateways.push({ node: id, kind: 'vpn', gateway: name, vnet: lab.vnet, address, dev: seg!.bridge, notPropagatedVia: [], peerHosts: [], teaches: [pool] });
    const under = underlay(ctx, id, `p2s:${name}`);
    node.routes.push({ prefix: pool, dev: 'ipsec0' }, { table: 101, prefix: '0.0.0.0/0', via: [seg!.gateway], dev: memberIf });
    node.rules.push({ pref: 101, iif: 'ipsec0', table: 101 });
    const secret = `p2s:${name}`;
    ctx.secrets.set(secret, { id: secret, connection: `point-to-site of ${name}`, env: null, ref: null });
    node.ike = {
      connections: [{ name: 'p2s', local: under, remote: null, localId: under, remoteId: '%any', ike: [...AZURE_DEFAULT_OFFERS.ike], esp: [...AZURE_DEFAULT_OFFERS.esp], initiate: false, secret, pool: { name: 'pool', addrs: pool }, ikeLifetime: AZURE_LIFETIMES.ike, childLifetime: AZURE_LIFETIMES.child, label: `point-to-site of ${name}` }],
    };
    apps.forEach((app) => {
      const appId = `a${ctx.apps.size}`;
      const appNode = ctx.b.node(appId, 'app', `App Service ${app.name}`, false);
      const own = underlay(ctx, appId, `app:${app.name}`);
      const routed = app.integration.type === 'gateway-required' ? ipv4([...ctx.index.vnets.get(lab.vnet)!.value.addressSpace, ...app.integration.routedPrefixes]) : [];
      appNode.ike = {
        connections: [{ name: 'app', local: own, remote: under, localId: `app-${appId}`, remoteId: under, ike: [...AZURE_DEFAULT_OFFERS.ike], esp: [...AZURE_DEFAULT_OFFERS.esp], initiate: true, secret, vip: true, tunnelRoutes: routed, ikeLifetime: AZURE_LIFETIMES.ike, childLifetime: AZURE_LIFETIMES.child, label: `point-to-site of app ${app.name}` }],
      };
      ctx.apps.set(app.name, { node: appId, address: nthAddress(pool, 1) });
      ctx.expect.sas.push({ node: appId, connection: 'app', label: `point-to-site of app ${app.name}` });
    });
  }
  // Regional integration: a host in the integration subnet; without route-all only RFC 1918 goes into the VNet.
  for (const app of ctx.topology.azure.appServices) {
    if (app.integration.type !== 'regional') continue;
    const seg = ctx.segments.get(`subnet:${app.integration.vnet}/${app.integration.subnet}`);
    if (!seg) continue;
    const appId = `a${ctx.apps.size}`;
    const node = ctx.b.node(appId, 'app', `App Service ${app.name}`, false);
    const address = freeIn(ctx, seg.prefixes[0]!, seg.firstHost);
    const { memberIf } = ctx.b.attach(seg.bridgeNode, seg.bridge, appId, [`${address}/${seg.prefixes[0]!.split('/')[1]}`]);
    if (app.integration.routeAll) node.routes.push({ prefix: '0.0.0.0/0', via: [seg.gateway], dev: memberIf });
    else {
      for (const p of RFC1918_RANGES) node.routes.push({ prefix: p, via: [seg.gateway], dev: memberIf });
      underlay(ctx, appId, `app:${app.name}`);
    }
    ctx.apps.set(app.name, { node: appId, address });
  }
}

/** A node's link to the Internet with a public address of the lab (its default route), returned. */
export function underlay(ctx: PlanContext, node: string, key: string, address?: string): string {
  const pub = address ?? ctx.b.alloc.public();
  ctx.publicIps.set(key, pub);
  const link = ctx.b.p2p(INTERNET, node);
  const end = ctx.b.links.at(-1)!.b;
  (end.addresses as string[]).push(`${pub}/32`);
  ctx.b.get(node).routes.push({ prefix: '0.0.0.0/0', via: [link.aIp], dev: link.bIf, src: pub });
  ctx.b.get(INTERNET).routes.push({ prefix: `${pub}/32`, via: [link.bIp], dev: link.aIf });
  return pub;
}

/** A free address in a prefix from its `start`-th host on (throws: the plan found a full subnet). */
export function freeIn(ctx: PlanContext, prefix: string, start: number): string {
  const p = prefix.split('/');
  const size = 2 ** (32 - Number(p[1]));
  for (let n = start; n < size - 1; n++) {
    const a = nthAddress(prefix, n);
    if (!ctx.used.has(a)) {
      ctx.used.add(a);
      return a;
    }
  }
  throw new Error(`no free address left in ${prefix}`);
}

/** The address an Azure instance peers from on a connection: the tunnel's custom APIPA address, the instance's when the site peers from APIPA, else its GatewaySubnet address. */
export function azureBgpAddress(ctx: PlanContext, connection: SiteToSiteConnection, instance: number): string | undefined {
  const lab = ctx.gateways.get(connection.gateway);
  const gw = ctx.index.vpnGateways.get(connection.gateway)?.value;
  const inst = lab?.instances[instance];
  if (!lab || !gw || !inst) return undefined;
  const tunnel = connectionTunnels(connection, ctx.index).find((t) => t.instance === instance);
  if (tunnel?.apipa) return tunnel.apipa;
  const sitePeer = ctx.index.sites.get(connection.site)?.value.bgp?.peerIp;
  if (sitePeer?.startsWith('169.254.')) return gw.bgp?.instances?.[instance]?.apipa[0];
  return inst.address;
}

/**
 * The Azure gateways' BGP policies, once every session is known: toward a site, everything but
 * routes inside a VNet, the default route, the host routes to BGP peers, the point-to-site pool
 * when the topology says Azure does not advertise it, and the site's own local-network prefixes;
 * from a site, everything but an exact VNet prefix. Toward Route Server or, without it, the
 * co-existing ExpressRoute gateway: what was learned from outside (and the static prefixes where
 * the topology says so), never the VNets, the pool or the peer host routes.
 */
export function finishGatewayPolicies(ctx: PlanContext): void {
  const p2sAdvertised = ctx.topology.simulation.vpnGatewayAdvertisesPointToSitePool;
  const learnsStatic = ctx.topology.simulation.expressRouteLearnsStaticVpnRoutes;
  for (const [name, lab] of ctx.gateways) {
    const gw = ctx.index.vpnGateways.get(name)!.value;
    const spaces = behind(ctx, lab.vnet);
    const pool = ipv4(gw.pointToSite?.addressPool ?? []);
    const s2s = ctx.topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && c.gateway === name);
    const peerHosts = s2s.flatMap((c) => {
      const peer = ctx.index.sites.get(c.site)?.value.bgp?.peerIp;
      return c.bgp && peer ? [`${peer}/32`] : [];
    });
    for (const inst of lab.instances) {
      const s = spec(ctx, inst.node);
      if (s.neighbors.length === 0) continue;
      s.asn = lab.asn;
      s.routerId = inst.address;
      const vnets = prefixList(s, 'VNETS', spaces.map((p) => ({ action: 'permit', prefix: p })));
      const inside = prefixList(s, 'INSIDE-VNETS', insideOf(spaces));
      const def = prefixList(s, 'DEFAULT', [{ action: 'permit', prefix: '0.0.0.0/0' }]);
      const hosts = prefixList(s, 'PEER-HOSTS', peerHosts.map((p) => ({ action: 'permit', prefix: p })));
      const p2s = prefixList(s, 'P2S-POOL', pool.map((p) => ({ action: 'permit', prefix: p })));
      routeMap(s, 'FROM-SITE', [{ action: 'deny', prefixList: vnets }, { action: 'permit' }]);
      for (const n of s.neighbors) {
        if (n.role === 'site') {
          const own = prefixList(s, `OWN-${n.connection}`, lngPrefixes(ctx, n.connection!).map((p) => ({ action: 'permit', prefix: p })));
          n.routeMapIn = 'FROM-SITE';
          n.routeMapOut = routeMap(s, `TO-${n.connection}`, [{ action: 'deny', prefixList: inside }, { action: 'deny', prefixList: def }, { action: 'deny', prefixList: hosts }, ...(p2sAdvertised ? [] : [{ action: 'deny' as const, prefixList: p2s }]), { action: 'deny', prefixList: own }, { action: 'permit' }]);
        } else if (n.role === 'route-server') {
          n.routeMapOut = routeMap(s, 'TO-ROUTE-SERVER', [{ action: 'deny', prefixList: vnets }, { action: 'deny', prefixList: inside }, { action: 'deny', prefixList: p2s }, { action: 'deny', prefixList: hosts }, { action: 'permit' }]);
        } else if (n.role === 'gateway') {
          s.asPathLists.set('LEARNED', [{ action: 'permit', regex: '.+' }]);
          const lng = prefixList(s, 'LNG', s2s.flatMap((c) => lngPrefixes(ctx, c.name)).map((p) => ({ action: 'permit', prefix: p })));
          n.routeMapOut = routeMap(s, 'TO-EXPRESSROUTE', [{ action: 'deny', prefixList: hosts }, { action: 'permit', asPath: 'LEARNED' }, ...(learnsStatic ? [{ action: 'permit' as const, prefixList: lng }] : []), { action: 'deny' }]);
        }
      }
    }
    for (const fg of ctx.fabricGateways) if (fg.gateway === name) (fg.peerHosts as string[]).push(...peerHosts);
  }
  for (const [, er] of ctx.erGateways) {
    const s = spec(ctx, er.node);
    if (s.neighbors.length === 0) continue;
    s.asn = ROUTE_SERVER_ASN;
    s.routerId = er.address;
    const spaces = behind(ctx, er.vnet);
    const inside = prefixList(s, 'INSIDE-VNETS', insideOf(spaces));
    const vnets = prefixList(s, 'VNETS', spaces.map((p) => ({ action: 'permit', prefix: p })));
    s.asPathLists.set('LEARNED', [{ action: 'permit', regex: '.+' }]);
    for (const n of s.neighbors) {
      if (n.role === 'branch') n.routeMapOut = routeMap(s, 'TO-BRANCH', [{ action: 'deny', prefixList: inside }, { action: 'permit' }]);
      else if (n.role === 'route-server') n.routeMapOut = routeMap(s, 'TO-ROUTE-SERVER', [{ action: 'deny', prefixList: vnets }, { action: 'permit', asPath: 'LEARNED' }, { action: 'deny' }]);
      else if (n.role === 'gateway') n.routeMapOut = routeMap(s, 'NOTHING', [{ action: 'deny' }]);
    }
  }
  // Routes learned from the other gateway of a VNet, or the instances' own VNet routes, are not what a gateway teaches subnets.
  for (const fg of ctx.fabricGateways) {
    const others = ctx.fabricGateways.filter((o) => o.vnet === fg.vnet && o.node !== fg.node).map((o) => o.address);
    (fg.notPropagatedVia as string[]).push(...others);
  }
}

/** The prefixes Azure's local network gateway holds for a connection's site (IPv4). */
export function lngPrefixes(ctx: PlanContext, connection: string): string[] {
  const c = ctx.index.connections.get(connection)?.value;
  return c?.type === 'site-to-site' ? ipv4(siteAddressSpace(c, ctx.index)) : [];
}

export { spec as frrOf };

/** Prefix-list entries for everything strictly inside the given prefixes. */
function insideOf(spaces: readonly string[]): { action: 'permit'; prefix: string; ge: number }[] {
  return spaces.map((p) => ({ action: 'permit' as const, prefix: p, ge: Number(p.split('/')[1]) + 1 })).filter((e) => e.ge <= 32);
}

/** What `lab fail` calls a tunnel's parts: the tunnel, its connection, and (active-active only) its instance. */
export function tunnelElements(ctx: PlanContext, connection: string, gateway: string, instance: number): string[] {
  const aa = ctx.index.vpnGateways.get(gateway)?.value.activeActive;
  return [`tunnel:${connection}/${instance}`, `connection:${connection}`, ...(aa ? [`instance:${gateway}/${instance}`] : [])];
}
