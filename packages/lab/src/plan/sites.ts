/**
 * Sites in the lab. A site's LAN is a bridge (in AWS: the VPC's subnet, whose router carries the
 * VPC route table the CloudFormation stack creates); its VPN device is a router namespace with one
 * tunnel per Azure gateway instance it connects to. An RRAS site is configured from exactly what
 * the generated script sets (the gen-rras transform: interfaces, their policy, static routes with
 * metrics, BGP router, peers and weights), so a mistake in the script shows here as a tunnel that
 * does not come up or a route that is missing. Another device takes the topology's declared
 * values. A site behind ExpressRoute peers eBGP with the ExpressRoute gateway over a link standing
 * in for the circuit. A site simulated by an Azure VNet with its own VPN gateway is that VNet.
 */
import { toCfnStacks } from '@hybridnet/gen-cloudformation';
import { toRrasScripts, type RrasScript } from '@hybridnet/gen-rras';
import { azureAddressSpace, connectionTunnels, type ExpressRouteConnection, type Site, type SiteToSiteConnection } from '@hybridnet/model';
import { AZURE_DEFAULT_OFFERS, AZURE_LIFETIMES, azurePolicyOffers, nthAddress, rrasOffers } from '../platform.ts';
import type { PlanContext } from './context.ts';
import { peerRoute } from './frr.ts';
import { azureBgpAddress, ENTERING, freeIn, frrOf, lngPrefixes, tunnelElements, underlay } from './gateways.ts';
import { contains } from './hosts.ts';
import { planTunnel } from './tunnels.ts';

const ipv4 = (prefixes: readonly string[]) => prefixes.filter((p) => !p.includes(':'));

/** RRAS's lifetimes without a custom policy: main mode 8 h, quick mode 1 h (Set-VpnS2SInterface's defaults). */
const RRAS_LIFETIMES = { ike: 28_800, child: 3_600 };

interface SiteLab {
  readonly router: string | null;
  readonly lanAddress: string | null;
  /** Static routes toward Azure, by prefix: next hop and metric per tunnel. */
  readonly statics: Map<string, { via: string; metric: number }[]>;
}

export function planSites(ctx: PlanContext): void {
  const { scripts } = toRrasScripts(ctx.topology, ctx.index, { expectedSiteRoutes: new Map() });
  const stacks = toCfnStacks(ctx.topology, ctx.index).stacks;
  ctx.topology.sites.forEach((site, s) => {
    if (site.device.type === 'azure-vpn-gateway') return planVnetSite(ctx, site);
    if (site.hosting.type === 'aws' && site.device.type !== 'rras') {
      ctx.gaps.push({ path: ['sites', s, 'device'], message: `site "${site.name}" in AWS uses ${site.device.type}; the lab runs RRAS sites in AWS only` });
      return;
    }
    const lab = planLan(ctx, site, s, stacks.find((x) => x.site === site.name)?.template);
    const script = scripts.find((x) => x.site === site.name);
    for (const c of ctx.topology.connections) {
      if (c.type === 'site-to-site' && c.site === site.name) {
        if (site.device.type === 'rras' && script) rrasTunnels(ctx, site, c, script, lab);
        else if (site.device.type === 'rras') ctx.gaps.push({ path: ['sites', s], message: `no RRAS script is generated for site "${site.name}"` });
        else deviceTunnels(ctx, site, c, lab);
      }
      if (c.type === 'expressroute' && c.site === site.name) circuit(ctx, site, c, lab);
    }
    finishStatics(ctx, lab);
  });
}

/** The LAN bridge, the VPC router (AWS), the device's router namespace on the LAN. */
function planLan(ctx: PlanContext, site: Site, s: number, stack: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> } | undefined): SiteLab {
  const lan = `l${s}`;
  const aws = site.hosting.type === 'aws' ? site.hosting : undefined;
  const node = ctx.b.node(lan, 'site-lan', aws ? `VPC of site ${site.name}` : `LAN of site ${site.name}`, Boolean(aws));
  const hasDevice = ctx.topology.connections.some((c) => c.type !== 'vnet-to-vnet' && c.site === site.name);
  const prefixes = aws ? [aws.subnetCidr] : ipv4(site.lan);
  const devicePrivate = site.device.type === 'rras' ? site.device.privateIp : undefined;
  let routerAddress: string | null = null;
  if (hasDevice) {
    const preferred = devicePrivate ?? (site.bgp && prefixes.some((p) => contains(p, site.bgp!.peerIp)) ? site.bgp.peerIp : undefined);
    routerAddress = preferred ?? freeIn(ctx, prefixes[0]!, 1);
    ctx.used.add(routerAddress);
  }
  let gateway: string;
  if (aws) {
    gateway = nthAddress(aws.subnetCidr, 1);
    ctx.used.add(gateway);
    node.bridges.push({ name: 'lan', addresses: [`${gateway}/${aws.subnetCidr.split('/')[1]}`] });
    // The VPC route table, as the stack creates it: routes to the RRAS interface, the default to the Internet gateway.
    const resources = stack?.Resources ?? {};
    for (const r of Object.values(resources)) {
      if (r.Type !== 'AWS::EC2::Route') continue;
      const p = r.Properties as { DestinationCidrBlock?: string; NetworkInterfaceId?: { Ref: string }; GatewayId?: { Ref: string } };
      if (!p.DestinationCidrBlock) continue;
      if (p.NetworkInterfaceId) {
        const eni = resources[p.NetworkInterfaceId.Ref]?.Properties as { PrivateIpAddress?: string } | undefined;
        if (eni?.PrivateIpAddress) node.routes.push({ prefix: p.DestinationCidrBlock, via: [eni.PrivateIpAddress], dev: 'lan' });
      } else if (p.GatewayId && p.DestinationCidrBlock === '0.0.0.0/0') {
        const pub = underlay(ctx, lan, `igw:${site.name}`);
        node.nft = ['table ip vpc {', '  chain post {', '    type nat hook postrouting priority srcnat; policy accept;', `    ip saddr ${aws.vpcCidr} oifname != "lan" snat ip to ${pub} comment "Internet gateway"`, '  }', '}', ''].join('\n');
      }
    }
  } else {
    node.bridges.push({ name: 'lan', addresses: [] });
    gateway = routerAddress ?? freeIn(ctx, prefixes[0]!, 1);
  }
  ctx.segments.set(`site:${site.name}`, { prefixes, bridgeNode: lan, bridge: 'lan', gateway, firstHost: aws ? 4 : 10, label: `site ${site.name}` });
  if (!routerAddress) return { router: null, lanAddress: null, statics: new Map() };
  const router = `r${s}`;
  const r = ctx.b.node(router, 'site-router', `${site.device.type === 'rras' ? 'RRAS' : 'router'} of site ${site.name}`, true);
  const within = prefixes.find((p) => contains(p, routerAddress!)) ?? `${routerAddress}/32`;
  const { memberIf } = ctx.b.attach(lan, 'lan', router, [`${routerAddress}/${within.split('/')[1]}`]);
  // The site's own ranges are on the LAN (through the VPC router in AWS).
  for (const p of ipv4(site.lan)) if (!prefixes.includes(p)) r.routes.push(aws ? { prefix: p, via: [gateway], dev: memberIf } : { prefix: p, dev: memberIf });
  if (site.bgp && site.bgp.peerIp !== routerAddress) r.loopback.push(`${site.bgp.peerIp}/32`);
  return { router, lanAddress: routerAddress, statics: new Map() };
}

function siteId(ctx: PlanContext, site: Site): string {
  const declared = 'publicIp' in site.device && site.device.publicIp && site.device.publicIp !== 'after-deploy' ? site.device.publicIp : undefined;
  const key = `site:${site.name}`;
  if (!ctx.publicIps.has(key)) ctx.publicIps.set(key, declared ?? ctx.b.alloc.public());
  return ctx.publicIps.get(key)!;
}

function secretOf(ctx: PlanContext, c: { name: string; sharedKey: SiteToSiteConnection['sharedKey'] }): string {
  const id = `psk:${c.name}`;
  if (!ctx.secrets.has(id)) ctx.secrets.set(id, { id, connection: c.name, env: 'env' in c.sharedKey ? c.sharedKey.env : null, ref: c.sharedKey });
  return id;
}

/** Azure's end of a tunnel: the instance's routes and BGP session toward the site over it. */
function azureEnd(ctx: PlanContext, c: SiteToSiteConnection, instance: number, next: string): void {
  const inst = ctx.gateways.get(c.gateway)!.instances[instance]!;
  const s = frrOf(ctx, inst.node);
  for (const p of lngPrefixes(ctx, c.name)) {
    s.statics.push({ prefix: p, via: next });
    if (!s.networks.includes(p)) s.networks.push(p);
  }
  const site = ctx.index.sites.get(c.site)!.value;
  const gw = ctx.index.vpnGateways.get(c.gateway)!.value;
  if (c.bgp && site.bgp && gw.bgp) {
    peerRoute(s, site.bgp.peerIp, next);
    s.neighbors.push({ address: site.bgp.peerIp, remoteAs: site.bgp.asn, updateSource: azureBgpAddress(ctx, c, instance), multihop: true, role: 'site', connection: c.name });
    ctx.expect.bgp.push({ node: inst.node, peer: site.bgp.peerIp, label: `BGP ${c.name}, instance ${instance}` });
  }
}

function tunnelLabel(c: SiteToSiteConnection, instance: number, tunnels: number): string {
  return `tunnel ${c.name}${tunnels > 1 ? `, instance ${instance}` : ''}`;
}

/** An RRAS site's tunnels, routes and BGP as its generated script sets them. */
function rrasTunnels(ctx: PlanContext, site: Site, c: SiteToSiteConnection, script: RrasScript, lab: SiteLab): void {
  const tunnels = script.tunnels.filter((t) => t.connection === c.name);
  for (const tunnel of tunnels) {
    const inst = ctx.gateways.get(tunnel.gateway)?.instances[tunnel.instance];
    if (!inst || !lab.router) continue;
    const offers = rrasOffers(tunnel.policy);
    if ('unknown' in offers) {
      ctx.gaps.push({ path: ['connections', ctx.topology.connections.indexOf(c)], message: `the RRAS script sets a policy the lab cannot read: ${offers.unknown}` });
      continue;
    }
    const t = planTunnel(ctx, {
      key: `${c.name}/${tunnel.instance}`,
      label: tunnelLabel(c, tunnel.instance, tunnels.length),
      azure: { router: inst.node, entersAzure: true, id: inst.publicIp, offers: c.ipsecPolicy ? azurePolicyOffers(c.ipsecPolicy) : AZURE_DEFAULT_OFFERS, lifetimes: { ike: AZURE_LIFETIMES.ike, child: c.ipsecPolicy?.saLifeTimeSeconds ?? AZURE_LIFETIMES.child } },
      site: { router: lab.router, entersAzure: false, id: siteId(ctx, site), offers, lifetimes: { ike: RRAS_LIFETIMES.ike, child: tunnel.policy?.saLifeTimeSeconds ?? RRAS_LIFETIMES.child } },
      initiator: 'site',
      secret: secretOf(ctx, c),
      elements: tunnelElements(ctx, c.name, tunnel.gateway, tunnel.instance),
    });
    azureEnd(ctx, c, tunnel.instance, t.azureNext);
    if (!tunnel.bgpIpParameter) {
      // As RRAS reads -IPv4Subnet: "prefix:metric".
      for (const entry of tunnel.ipv4Routes) {
        const [prefix, metric] = entry.split(':');
        addStatic(lab, prefix!, t.siteNext, Number(metric ?? tunnel.metric));
      }
      continue;
    }
    const bgp = script.bgp;
    const peer = bgp?.peers.find((p) => p.gateway === tunnel.gateway && p.instance === tunnel.instance);
    const address = azureBgpAddress(ctx, c, tunnel.instance);
    if (!bgp || !peer || !address) continue;
    const s = frrOf(ctx, lab.router);
    s.asn = bgp.localAsn;
    s.routerId = bgp.identifier;
    peerRoute(s, address, t.siteNext);
    s.neighbors.push({ address, remoteAs: peer.peerAsn, updateSource: bgp.localAddress, multihop: true, weight: peer.weight });
    for (const p of ipv4(bgp.advertise)) advertise(ctx, lab.router, site, p);
  }
}

/** Another device's tunnels: the connection's tunnels, the prefixes it sends toward Azure, BGP from the site. */
function deviceTunnels(ctx: PlanContext, site: Site, c: SiteToSiteConnection, lab: SiteLab): void {
  const tunnels = [...connectionTunnels(c, ctx.index)].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0) || a.instance - b.instance);
  const offers = c.ipsecPolicy ? azurePolicyOffers(c.ipsecPolicy) : AZURE_DEFAULT_OFFERS;
  tunnels.forEach((tunnel, rank) => {
    const inst = ctx.gateways.get(c.gateway)?.instances[tunnel.instance];
    if (!inst || !lab.router) return;
    const t = planTunnel(ctx, {
      key: `${c.name}/${tunnel.instance}`,
      label: tunnelLabel(c, tunnel.instance, tunnels.length),
      azure: { router: inst.node, entersAzure: true, id: inst.publicIp, offers, lifetimes: { ike: AZURE_LIFETIMES.ike, child: c.ipsecPolicy?.saLifeTimeSeconds ?? AZURE_LIFETIMES.child } },
      site: { router: lab.router, entersAzure: false, id: siteId(ctx, site), offers, lifetimes: { ike: AZURE_LIFETIMES.ike, child: c.ipsecPolicy?.saLifeTimeSeconds ?? AZURE_LIFETIMES.child } },
      initiator: 'site',
      secret: secretOf(ctx, c),
      elements: tunnelElements(ctx, c.name, c.gateway, tunnel.instance),
    });
    azureEnd(ctx, c, tunnel.instance, t.azureNext);
    const gw = ctx.index.vpnGateways.get(c.gateway)!.value;
    if (c.bgp && site.bgp && gw.bgp) {
      const address = azureBgpAddress(ctx, c, tunnel.instance);
      if (!address) return;
      const s = frrOf(ctx, lab.router);
      s.asn = site.bgp.asn;
      s.routerId = lab.lanAddress!;
      peerRoute(s, address, t.siteNext);
      s.neighbors.push({ address, remoteAs: gw.bgp.asn, updateSource: site.bgp.peerIp, multihop: true, ...(tunnel.weight !== undefined ? { weight: tunnel.weight } : {}) });
      for (const p of ipv4(site.bgp.advertise)) advertise(ctx, lab.router, site, p);
      if (!c.azureAddressSpace) return;
    }
    for (const prefix of ipv4(azureAddressSpace(c, ctx.topology, ctx.index))) addStatic(lab, prefix, t.siteNext, 100 + rank * 10);
  });
}

/** A prefix the site's BGP originates: in the RIB through the LAN, else as a summary (a null route, as routers do). */
function advertise(ctx: PlanContext, router: string, site: Site, prefix: string): void {
  const s = frrOf(ctx, router);
  if (s.networks.includes(prefix)) return;
  s.networks.push(prefix);
  if (!ipv4(site.lan).includes(prefix)) s.statics.push({ prefix, blackhole: true });
}

function addStatic(lab: SiteLab, prefix: string, via: string, metric: number): void {
  const list = lab.statics.get(prefix) ?? [];
  list.push({ via, metric });
  lab.statics.set(prefix, list);
}

/** Static routes toward Azure: the tunnels of one metric share a multipath route; a higher metric is the backup. */
function finishStatics(ctx: PlanContext, lab: SiteLab): void {
  if (!lab.router) return;
  const node = ctx.b.get(lab.router);
  for (const [prefix, hops] of lab.statics) {
    for (const metric of [...new Set(hops.map((h) => h.metric))].sort((a, b) => a - b)) {
      node.routes.push({ prefix, via: hops.filter((h) => h.metric === metric).map((h) => h.via), metric });
    }
  }
}

/** An ExpressRoute circuit: eBGP between the gateway and the branch's edge over one link. */
function circuit(ctx: PlanContext, site: Site, c: ExpressRouteConnection, lab: SiteLab): void {
  const er = ctx.erGateways.get(c.gateway);
  if (!er || !lab.router) return;
  const link = ctx.b.p2p(er.node, lab.router);
  const erNode = ctx.b.get(er.node);
  erNode.rules.push({ pref: 200 + erNode.rules.length, iif: link.aIf, table: ENTERING });
  const asn = site.bgp?.asn ?? 65001;
  frrOf(ctx, er.node).neighbors.push({ address: link.bIp, remoteAs: asn, role: 'branch', connection: c.name });
  const s = frrOf(ctx, lab.router);
  s.asn = asn;
  s.routerId = lab.lanAddress!;
  s.neighbors.push({ address: link.aIp, remoteAs: 65515 });
  for (const p of ipv4(site.bgp?.advertise ?? site.lan)) advertise(ctx, lab.router, site, p);
  ctx.expect.bgp.push({ node: er.node, peer: link.bIp, label: `ExpressRoute ${c.name}` });
  ctx.elements.push({ name: `circuit:${c.name}`, kind: 'circuit', interfaces: [{ node: er.node, ifname: link.aIf }, { node: lab.router, ifname: link.bIf }] });
  er.circuits.push(c.name);
}

/**
 * A site played by an Azure VNet with its own VPN gateway: tunnels between the two gateways'
 * instances; the site's gateway holds, as static prefixes, what the site sends toward Azure; hosts
 * "at the site" are in that VNet's subnets.
 */
function planVnetSite(ctx: PlanContext, site: Site): void {
  if (site.device.type !== 'azure-vpn-gateway') return;
  const remote = ctx.gateways.get(site.device.gateway);
  const vnet = remote ? ctx.index.vnets.get(remote.vnet)?.value : undefined;
  const subnet = vnet?.subnets.find((x) => x.name !== 'GatewaySubnet' && ipv4(site.lan).some((p) => contains(p, nthAddress(x.prefix, 4))));
  if (subnet) ctx.segments.set(`site:${site.name}`, ctx.segments.get(`subnet:${vnet!.name}/${subnet.name}`)!);
  for (const c of ctx.topology.connections) {
    if (c.type !== 'site-to-site' || c.site !== site.name || !remote) continue;
    if (c.bgp) ctx.gaps.push({ path: ['connections', ctx.topology.connections.indexOf(c), 'bgp'], message: `BGP to a site played by VPN gateway "${remote.name}" is not in the lab` });
    const tunnels = connectionTunnels(c, ctx.index);
    for (const tunnel of tunnels) {
      const inst = ctx.gateways.get(c.gateway)?.instances[tunnel.instance];
      const far = remote.instances[tunnel.instance % remote.instances.length]!;
      if (!inst) continue;
      const offers = c.ipsecPolicy ? azurePolicyOffers(c.ipsecPolicy) : AZURE_DEFAULT_OFFERS;
      const lifetimes = { ike: AZURE_LIFETIMES.ike, child: c.ipsecPolicy?.saLifeTimeSeconds ?? AZURE_LIFETIMES.child };
      const t = planTunnel(ctx, {
        key: `${c.name}/${tunnel.instance}`,
        label: tunnelLabel(c, tunnel.instance, tunnels.length),
        azure: { router: inst.node, entersAzure: true, id: inst.publicIp, offers, lifetimes },
        site: { router: far.node, entersAzure: true, id: far.publicIp, offers, lifetimes },
        initiator: 'site',
        secret: secretOf(ctx, c),
        elements: [...tunnelElements(ctx, c.name, c.gateway, tunnel.instance), ...(ctx.index.vpnGateways.get(remote.name)?.value.activeActive ? [`instance:${remote.name}/${far.index}`] : [])],
      });
      azureEnd(ctx, c, tunnel.instance, t.azureNext);
      const s = frrOf(ctx, far.node);
      for (const p of ipv4(azureAddressSpace(c, ctx.topology, ctx.index))) {
        s.statics.push({ prefix: p, via: t.siteNext });
        if (!s.networks.includes(p)) s.networks.push(p);
      }
    }
  }
}

