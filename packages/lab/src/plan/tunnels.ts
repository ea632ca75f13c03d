/**
 * One IPsec tunnel = two tunnel ends, each a namespace with its own charon (strongSwan's
 * kernel-libipsec: ESP in user space over a TUN device, UDP-encapsulated), because Azure's
 * route-based tunnels select 0.0.0.0/0 both ways and one TUN device cannot keep two such SAs
 * apart. A tunnel end has a public side (its link to the Internet) and an inner side (its link to
 * the router it serves: a gateway instance or the site's device): what comes in on the inner
 * side goes into the tunnel, what comes out of the tunnel goes to the router. The inner link is up
 * only while the SA is (strongSwan's updown hook), so a router's routes over a tunnel that is
 * down are not used, as a VPN device's are not.
 *
 * Each end's identity is the address the topology gives it (an instance's public IP, the site's);
 * each tunnel end also has an address of its own on the lab's Internet, since two tunnels may not
 * share one there.
 */
import type { LabElement } from '../ir.ts';
import type { PlanContext } from './context.ts';
import { ENTERING, underlay } from './gateways.ts';

export interface TunnelEnd {
  /** The router node (gateway instance or site device) and whether traffic from the tunnel enters Azure there. */
  readonly router: string;
  readonly entersAzure: boolean;
  /** The identity it shows (its public IP as the topology gives it). */
  readonly id: string;
  readonly offers: { readonly ike: readonly string[]; readonly esp: readonly string[] };
  readonly lifetimes: { readonly ike: number; readonly child: number };
}

export interface TunnelSpec {
  readonly key: string;
  readonly label: string;
  readonly azure: TunnelEnd;
  readonly site: TunnelEnd;
  /** Which end starts IKE: RRAS and other devices connect; Azure answers. */
  readonly initiator: 'azure' | 'site';
  readonly secret: string;
  /** `lab fail`'s names for this tunnel. */
  readonly elements: readonly string[];
}

/** Builds both ends; returns each router's address toward its tunnel end (the next hop of routes into the tunnel). */
export function planTunnel(ctx: PlanContext, t: TunnelSpec): { azureNext: string; siteNext: string; azureIf: string; siteIf: string } {
  const n = [...ctx.b.nodes.values()].filter((x) => x.role === 'tunnel').length / 2;
  const ends = (['azure', 'site'] as const).map((side) => {
    const id = `t${n}${side === 'azure' ? 'a' : 's'}`;
    const end = t[side];
    const other = t[side === 'azure' ? 'site' : 'azure'];
    const node = ctx.b.node(id, 'tunnel', `${t.label}, ${side === 'azure' ? 'Azure' : 'site'} end`, true);
    const pub = underlay(ctx, id, `tunnel:${t.key}:${side}`);
    const inner = ctx.b.p2p(end.router, id);
    const router = ctx.b.get(end.router);
    if (end.entersAzure) router.rules.push({ pref: 200 + router.rules.length, iif: inner.aIf, table: ENTERING });
    // Table 101 (out of the tunnel, to the router) is set by the updown hook when the inner link comes up.
    node.routes.push({ table: 100, prefix: '0.0.0.0/0', dev: 'ipsec0' });
    node.rules.push({ pref: 100, iif: inner.bIf, table: 100 }, { pref: 101, iif: 'ipsec0', table: 101 });
    return { id, pub, inner, end, other };
  });
  const [a, s] = ends as [(typeof ends)[0], (typeof ends)[0]];
  for (const [me, peer] of [[a, s], [s, a]] as const) {
    const initiate = (me === a) === (t.initiator === 'azure');
    ctx.b.get(me.id).ike = {
      connections: [
        {
          name: 'tunnel',
          local: me.pub,
          remote: peer.pub,
          localId: me.end.id,
          remoteId: peer.end.id,
          ike: me.end.offers.ike,
          esp: me.end.offers.esp,
          initiate,
          secret: t.secret,
          inner: { ifname: me.inner.bIf, via: me.inner.aIp },
          ikeLifetime: me.end.lifetimes.ike,
          childLifetime: me.end.lifetimes.child,
          label: t.label,
        },
      ],
    };
  }
  ctx.expect.sas.push({ node: (t.initiator === 'azure' ? a : s).id, connection: 'tunnel', label: t.label });
  const interfaces = [a, s].map((e) => ({ node: e.id, ifname: ctx.b.links.find((l) => l.b.node === e.id && l.a.node === 'inet')!.b.ifname }));
  for (const name of t.elements) addToElement(ctx, name, interfaces);
  return { azureNext: a.inner.bIp, siteNext: s.inner.bIp, azureIf: a.inner.aIf, siteIf: s.inner.aIf };
}

/** Adds interfaces to what `lab fail <name>` sets down (the element is made on first use). */
export function addToElement(ctx: PlanContext, name: string, interfaces: readonly { node: string; ifname: string }[]): void {
  const existing = ctx.elements.find((e) => e.name === name);
  if (existing) (existing.interfaces as { node: string; ifname: string }[]).push(...interfaces);
  else ctx.elements.push({ name, kind: name.slice(0, name.indexOf(':')) as LabElement['kind'], interfaces: [...interfaces] });
}
