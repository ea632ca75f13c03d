/**
 * Phase 2, BGP and the two ends of each tunnel: ASNs Azure accepts, peer addresses that can be
 * reached, custom APIPA addresses in Azure's window, BGP switched on at both ends, and the
 * prefixes each side believes the other has.
 * Sources: ../shared/reference/azure-rules.md §1.5-1.7 (vpn-gateway-faq-bgp-include, bgp-howto,
 * route-server-faq) and ../shared/reference/generators.md §1.2 (RRAS cipher support).
 */
import { azureAddressSpace, connectionTunnels, siteAddressSpace, vnetsBehindGateway, type ModelPath } from '@hybridnet/model';
import { coveredBy, type Context } from '../context.ts';

const RESERVED_ASNS: readonly [number, number][] = [
  [8074, 8075], [12076, 12076], [65515, 65515], [65517, 65520], [23456, 23456], [64496, 64511], [65535, 65551], [4294967295, 4294967295],
];
const APIPA = '169.254.0.0/16';
const AZURE_APIPA = ['169.254.21.0/24', '169.254.22.0/24'];

function checkAsn(ctx: Context, asn: number, owner: string, path: ModelPath): void {
  if (RESERVED_ASNS.some(([lo, hi]) => asn >= lo && asn <= hi)) ctx.report('hybridnet/validate/bgp/asn-reserved', path, `${owner} uses ASN ${asn}, which Azure or IANA reserves`, 'use a private ASN such as 65001-65514');
  if (asn > 65535) ctx.report('hybridnet/validate/bgp/asn-range', path, `${owner} uses 32-bit ASN ${asn}; Azure VPN gateways and Route Server take 16-bit ASNs`, 'use a 16-bit private ASN (64512-65514)');
}

export function checkBgp(ctx: Context): void {
  const { index, topology } = ctx;
  topology.azure.vnets.forEach((vnet, v) => {
    const gateway = vnet.vpnGateway;
    const base = ['azure', 'vnets', v];
    if (gateway?.bgp && gateway.bgp.asn !== 65515) checkAsn(ctx, gateway.bgp.asn, `gateway "${gateway.name}"`, [...base, 'vpnGateway', 'bgp', 'asn']);
    gateway?.bgp?.instances?.forEach((instance, i) =>
      instance.apipa.forEach((address, a) => {
        if (!coveredBy(ctx, `${address}/32`, AZURE_APIPA)) ctx.report('hybridnet/validate/bgp/apipa-range', [...base, 'vpnGateway', 'bgp', 'instances', i, 'apipa', a], `custom APIPA address ${address} of "${gateway.name}" is outside 169.254.21.0-169.254.22.255`, 'Azure accepts custom BGP addresses from 169.254.21.0 to 169.254.22.255 only');
      }),
    );
    const rs = vnet.routeServer;
    rs?.peers.forEach((peer, p) => {
      const path = [...base, 'routeServer', 'peers', p];
      checkAsn(ctx, peer.asn, `Route Server peer "${peer.name}"`, [...path, 'asn']);
      if (peer.asn === 65515) ctx.report('hybridnet/validate/bgp/asn-same-as-azure', [...path, 'asn'], `Route Server peer "${peer.name}" uses 65515, the Route Server's own ASN`, 'peer with a different ASN (eBGP)');
      const reachable = [vnet, ...topology.azure.peerings.filter((x) => x.vnets.includes(vnet.name)).map((x) => index.vnets.get(x.vnets[0] === vnet.name ? x.vnets[1] : x.vnets[0])?.value)].flatMap((x) => x?.addressSpace ?? []);
      if (!coveredBy(ctx, `${peer.peerIp}/32`, reachable)) ctx.report('hybridnet/validate/bgp/route-server-peer-location', [...path, 'peerIp'], `Route Server peer "${peer.name}" ${peer.peerIp} is neither in "${vnet.name}" nor in a VNet peered with it`, 'Route Server peers only with appliances in its VNet or a directly peered VNet');
    });
  });

  topology.sites.forEach((site, s) => {
    if (!site.bgp) return;
    const path = ['sites', s, 'bgp'];
    checkAsn(ctx, site.bgp.asn, `site "${site.name}"`, [...path, 'asn']);
    const publicIp = 'publicIp' in site.device ? site.device.publicIp : undefined;
    if (publicIp && publicIp === site.bgp.peerIp) ctx.report('hybridnet/validate/bgp/peer-ip-is-public-ip', [...path, 'peerIp'], `site "${site.name}" uses its public IP ${publicIp} as BGP peer address`, "use the device's LAN (or loopback, or APIPA) address as BGP peer address");
    else if (!coveredBy(ctx, `${site.bgp.peerIp}/32`, [...site.lan, APIPA])) ctx.report('hybridnet/validate/bgp/peer-ip-unreachable', [...path, 'peerIp'], `BGP peer address ${site.bgp.peerIp} of site "${site.name}" is neither in its LAN (${site.lan.join(', ')}) nor an APIPA address`, "use the device's LAN address");
    const connections = topology.connections.filter((c) => c.type === 'site-to-site' && c.site === site.name);
    if (connections.length > 0 && connections.every((c) => c.type === 'site-to-site' && !c.bgp)) ctx.report('hybridnet/validate/bgp/site-bgp-unused', path, `site "${site.name}" has BGP settings, but none of its connections runs BGP`, 'set bgp: true on its connection, or remove the bgp block');
  });

  const staticBySite = new Map<string, number>();
  topology.connections.forEach((c, i) => {
    const path = ['connections', i];
    if (c.type === 'vnet-to-vnet') {
      const [a, b] = c.gateways.map((g) => index.vpnGateways.get(g)?.value);
      if (c.bgp && (!a?.bgp || !b?.bgp)) ctx.report('hybridnet/validate/bgp/connection-needs-bgp-ends', [...path, 'bgp'], `connection "${c.name}" runs BGP but gateway "${!a?.bgp ? c.gateways[0] : c.gateways[1]}" has no bgp settings`, 'add bgp to both gateways, or set bgp: false');
      else if (c.bgp && a?.bgp?.asn === b?.bgp?.asn) ctx.report('hybridnet/validate/bgp/asn-same-as-azure', [...path, 'bgp'], `connection "${c.name}" runs BGP between two gateways with the same ASN ${a?.bgp?.asn}`, 'give one of the gateways another private ASN');
      return;
    }
    if (c.type !== 'site-to-site') return;
    const gateway = index.vpnGateways.get(c.gateway)?.value;
    const site = index.sites.get(c.site)?.value;
    if (!gateway || !site) return;
    staticBySite.set(c.site, (staticBySite.get(c.site) ?? 0) + 1);
    if (c.bgp && (!gateway.bgp || !site.bgp)) {
      ctx.report('hybridnet/validate/bgp/connection-needs-bgp-ends', [...path, 'bgp'], `connection "${c.name}" runs BGP but ${!gateway.bgp ? `gateway "${gateway.name}"` : `site "${site.name}"`} has no bgp settings`, 'add the bgp block, or set bgp: false');
    }
    if (c.bgp && gateway.bgp && site.bgp && site.bgp.asn === gateway.bgp.asn) ctx.report('hybridnet/validate/bgp/asn-same-as-azure', ['sites', topology.sites.indexOf(site), 'bgp', 'asn'], `site "${site.name}" uses ASN ${site.bgp.asn}, the same as gateway "${gateway.name}"`, 'use a different private ASN on the site');
    if (c.bgp && site.bgp) {
      const behind = vnetsBehindGateway(index.vpnGateways.get(c.gateway)!.vnet, topology, index).flatMap((x) => x.addressSpace);
      site.bgp.advertise.forEach((p, a) => {
        if (behind.includes(p)) ctx.report('hybridnet/validate/bgp/exact-vnet-prefix-advertised', ['sites', topology.sites.indexOf(site), 'bgp', 'advertise', a], `site "${site.name}" advertises ${p}, exactly a VNet prefix; the gateway drops it`, 'advertise only the site ranges (a supernet of the VNet is accepted)');
      });
    }
    const instances = gateway.bgp?.instances;
    const seen = new Set<number>();
    connectionTunnels(c, index).forEach((tunnel, t) => {
      if ((tunnel.instance === 1 && !gateway.activeActive) || seen.has(tunnel.instance)) {
        ctx.report('hybridnet/validate/gateway/tunnel-instance', [...path, 'tunnels', t, 'instance'], seen.has(tunnel.instance) ? `connection "${c.name}" builds two tunnels to instance ${tunnel.instance} of "${gateway.name}"` : `connection "${c.name}" has a tunnel to instance 1, but gateway "${gateway.name}" is not active-active`, 'one tunnel per gateway instance: instance 0, and instance 1 on an active-active gateway');
        return;
      }
      seen.add(tunnel.instance);
      if (tunnel.apipa && !instances?.[tunnel.instance]?.apipa.includes(tunnel.apipa)) ctx.report('hybridnet/validate/bgp/apipa-range', [...path, 'tunnels', t, 'apipa'], `tunnel ${t} of "${c.name}" uses APIPA ${tunnel.apipa}, which instance ${tunnel.instance} of "${gateway.name}" does not have`, `choose one of ${instances?.[tunnel.instance]?.apipa.join(', ') ?? 'the instance addresses (none are set)'}`);
    });
    if (c.bgp && site.bgp && coveredBy(ctx, `${site.bgp.peerIp}/32`, [APIPA]) && !instances) ctx.report('hybridnet/validate/bgp/apipa-range', [...path, 'bgp'], `site "${site.name}" peers from APIPA address ${site.bgp.peerIp}, but gateway "${gateway.name}" has no custom APIPA addresses`, 'add bgp.instances[].apipa on the gateway (169.254.21.x / 169.254.22.x)');
    checkEnds(ctx, c, i);
  });
  topology.connections.forEach((c, i) => {
    if (c.type === 'site-to-site' && !c.bgp && (staticBySite.get(c.site) ?? 0) > 1) ctx.report('hybridnet/validate/bgp/multiple-connections-need-bgp', ['connections', i, 'bgp'], `site "${c.site}" is reached by ${staticBySite.get(c.site)} connections, and "${c.name}" runs without BGP`, 'several connections to one site need BGP on all of them');
  });
}

/** What Azure believes about the site, and what the site believes about Azure. */
function checkEnds(ctx: Context, c: Extract<Context['topology']['connections'][number], { type: 'site-to-site' }>, i: number): void {
  const { index, topology } = ctx;
  const site = index.sites.get(c.site)!.value;
  const path = ['connections', i];
  if (c.siteAddressSpace) {
    const outside = c.siteAddressSpace.filter((p) => !coveredBy(ctx, p, site.lan));
    const uncovered = c.bgp ? [] : site.lan.filter((p) => !coveredBy(ctx, p, siteAddressSpace(c, index)));
    if (outside.length > 0 || uncovered.length > 0) {
      ctx.report('hybridnet/validate/consistency/site-address-space', [...path, 'siteAddressSpace'], `Azure's local network gateway for "${site.name}" does not match its LAN: ${[...outside.map((p) => `${p} is not in the site`), ...uncovered.map((p) => `${p} is missing`)].join('; ')}`, 'remove siteAddressSpace to use the site LAN, or list exactly its ranges');
    }
  }
  if (c.azureAddressSpace) {
    const vnet = index.vpnGateways.get(c.gateway)!.vnet;
    const missing = vnetsBehindGateway(vnet, topology, index).flatMap((x) => x.addressSpace).filter((p) => !coveredBy(ctx, p, azureAddressSpace(c, topology, index)));
    if (missing.length > 0) ctx.report('hybridnet/validate/consistency/azure-address-space', [...path, 'azureAddressSpace'], `site "${site.name}" would not send traffic for ${missing.join(', ')} into the tunnel of "${c.name}"`, 'remove azureAddressSpace to derive it, or add the missing VNet ranges');
  }
  if (site.device.type === 'rras') {
    const unsupported = [
      c.ikeVersion === 'IKEv1' && 'IKEv1 (RRAS site-to-site with a pre-shared key uses IKEv2)',
      c.ipsecPolicy?.ikeEncryption.startsWith('GCM') && `IKE encryption ${c.ipsecPolicy.ikeEncryption} (RRAS offers DES, DES3, AES128, AES192, AES256)`,
      c.ipsecPolicy?.ikeIntegrity.startsWith('GCM') && `IKE integrity ${c.ipsecPolicy.ikeIntegrity} (RRAS offers MD5, SHA1, SHA256, SHA384)`,
      c.ipsecPolicy?.dhGroup === 'DHGroup1' && 'DH group 1',
    ].filter((x): x is string => typeof x === 'string');
    for (const what of unsupported) ctx.report('hybridnet/validate/consistency/device-capability', [...path, c.ikeVersion === 'IKEv1' && what.startsWith('IKEv1') ? 'ikeVersion' : 'ipsecPolicy'], `connection "${c.name}" asks the RRAS server of "${site.name}" for ${what}`, 'choose a policy both Azure and RRAS support, e.g. AES256/SHA256/DHGroup14');
  }
}
