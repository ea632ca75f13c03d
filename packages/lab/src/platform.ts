/**
 * Azure's platform behaviours that no open implementation has, written once as lab configuration
 * from Microsoft's documentation. The protocols themselves run for real (strongSwan, FRR,
 * nftables); what Azure's software-defined network does around them is here, each with its
 * source. The lab reads only the topology's declared configuration and these facts, never the
 * route simulation's answers, so its results are an independent check.
 *
 * Sources (MicrosoftDocs/azure-docs paths; summarised with more in ../shared/reference/azure-rules.md):
 * - System routes, next hop None, route selection (longest prefix, then user-defined > BGP >
 *   system; a VNet's and its peerings' system routes are never overridden by gateway routes even
 *   when those are more specific), route propagation switched off per route table:
 *   articles/virtual-network/virtual-networks-udr-overview.md; the reserved ranges are the model's
 *   data table (data/azure-system-routes.ts).
 * - ExpressRoute preferred over VPN for the same prefix:
 *   articles/expressroute/expressroute-howto-coexist-resource-manager.md.
 * - What a VPN gateway advertises to BGP peers (its VNets, the prefixes of every local network
 *   gateway, routes learned from other peers except overlapping a VNet prefix) and what it drops
 *   (exact VNet prefixes): includes/vpn-gateway-faq-bgp-include.md; the host route to a BGP peer is
 *   internal and never passed on (bgp-howto.md; azure-rules.md §2.1.9).
 * - Route Server with branch-to-branch exchanges routes between the ExpressRoute and the VPN
 *   gateway over iBGP (AS 65515): articles/route-server/expressroute-vpn-support.md; without it a
 *   co-existing ExpressRoute gateway takes only the VPN gateway's eBGP-learned routes, one way
 *   (azure-rules.md §2.1.9, a practitioner's observation the topology can override).
 * - Default offers of a route-based gateway (IKEv2 main mode DH group 2 with AES and SHA pairs;
 *   quick mode without PFS): articles/vpn-gateway/vpn-gateway-about-vpn-devices.md, "IPsec/IKE
 *   parameters". An RRAS interface without a custom policy is taken to accept them (Microsoft
 *   lists RRAS among the devices validated with Azure's defaults, same article).
 * - Outbound Internet access only through a NAT gateway or a public IP on the NIC (default outbound
 *   access is not relied upon): articles/virtual-network/ip-services/default-outbound-access.md.
 * - GatewaySubnet addresses: a gateway instance takes the subnet's first usable address (.4), the
 *   second instance the next; Azure's default BGP address of an instance is that address
 *   (../shared/reference/generators.md §1.3).
 */
import { contains, noneRoutes, parsePrefix, type IpsecPolicy, type Prefix } from '@hybridnet/model';
import type { RrasPolicy } from '@hybridnet/gen-rras';
import type { EffectiveRoute, LabRoute } from './ir.ts';

/** Azure's route-based offers, in strongSwan's words: main mode (IKE) and quick mode (ESP). */
export const AZURE_DEFAULT_OFFERS = {
  ike: ['aes256-sha1-modp1024', 'aes256-sha256-modp1024', 'aes128-sha1-modp1024', 'aes128-sha256-modp1024', '3des-sha1-modp1024', '3des-sha256-modp1024'],
  esp: ['aes256gcm16', 'aes256-sha1', '3des-sha1', 'aes256-sha256', 'aes128-sha1', '3des-sha256'],
} as const;

/** Azure's lifetimes: main mode 28,800 s, quick mode 27,000 s (same article). */
export const AZURE_LIFETIMES = { ike: 28_800, child: 27_000 } as const;

const AZURE_IKE_ENCRYPTION: Record<IpsecPolicy['ikeEncryption'], string> = { DES: 'des', DES3: '3des', AES128: 'aes128', AES192: 'aes192', AES256: 'aes256', GCMAES128: 'aes128gcm16', GCMAES256: 'aes256gcm16' };
const AZURE_IKE_INTEGRITY: Record<IpsecPolicy['ikeIntegrity'], string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', GCMAES128: 'prfsha256', GCMAES256: 'prfsha256' };
const AZURE_DH: Record<IpsecPolicy['dhGroup'], string | null> = { None: null, DHGroup1: 'modp768', DHGroup2: 'modp1024', DHGroup14: 'modp2048', DHGroup2048: 'modp2048', ECP256: 'ecp256', ECP384: 'ecp384', DHGroup24: 'modp2048s256' };
const AZURE_ESP_ENCRYPTION: Record<IpsecPolicy['ipsecEncryption'], string> = { None: 'null', DES: 'des', DES3: '3des', AES128: 'aes128', AES192: 'aes192', AES256: 'aes256', GCMAES128: 'aes128gcm16', GCMAES192: 'aes192gcm16', GCMAES256: 'aes256gcm16' };
const AZURE_ESP_INTEGRITY: Record<IpsecPolicy['ipsecIntegrity'], string | null> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', GCMAES128: null, GCMAES192: null, GCMAES256: null };
const AZURE_PFS: Record<IpsecPolicy['pfsGroup'], string | null | 'ike'> = { None: null, PFS1: 'modp768', PFS2: 'modp1024', PFS2048: 'modp2048', PFS14: 'modp2048', ECP256: 'ecp256', ECP384: 'ecp384', PFS24: 'modp2048s256', PFSMM: 'ike' };

const proposal = (...parts: (string | null)[]) => parts.filter(Boolean).join('-');

/** A connection's custom policy as Azure applies it: exactly one IKE and one ESP proposal. */
export function azurePolicyOffers(policy: IpsecPolicy): { ike: string[]; esp: string[] } {
  const dh = AZURE_DH[policy.dhGroup];
  const pfs = AZURE_PFS[policy.pfsGroup];
  return {
    ike: [proposal(AZURE_IKE_ENCRYPTION[policy.ikeEncryption], AZURE_IKE_INTEGRITY[policy.ikeIntegrity], dh)],
    esp: [proposal(AZURE_ESP_ENCRYPTION[policy.ipsecEncryption], AZURE_ESP_INTEGRITY[policy.ipsecIntegrity], pfs === 'ike' ? dh : pfs)],
  };
}

// RRAS's own names (Add-VpnS2SInterface -CustomPolicy; ../shared/reference/generators.md §1.2), read
// from what the generated script sets: a wrong mapping there fails to negotiate here.
const RRAS_ENCRYPTION: Record<string, string> = { DES: 'des', DES3: '3des', AES128: 'aes128', AES192: 'aes192', AES256: 'aes256' };
const RRAS_INTEGRITY: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384' };
const RRAS_DH: Record<string, string | null> = { None: null, Group1: 'modp768', Group2: 'modp1024', Group14: 'modp2048', ECP256: 'ecp256', ECP384: 'ecp384', Group24: 'modp2048s256' };
const RRAS_CIPHER: Record<string, string> = { None: 'null', DES: 'des', DES3: '3des', AES128: 'aes128', AES192: 'aes192', AES256: 'aes256', GCMAES128: 'aes128gcm16', GCMAES192: 'aes192gcm16', GCMAES256: 'aes256gcm16' };
const RRAS_AUTH: Record<string, string | null> = { None: null, MD596: 'md5', SHA196: 'sha1', SHA256128: 'sha256', GCMAES128: null, GCMAES192: null, GCMAES256: null };
const RRAS_PFS: Record<string, string | null | 'ike'> = { None: null, PFS1: 'modp768', PFS2: 'modp1024', PFS2048: 'modp2048', ECP256: 'ecp256', ECP384: 'ecp384', PFS24: 'modp2048s256', PFSMM: 'ike' };

/** What an RRAS interface offers: its custom policy's single proposal, or the defaults. */
export function rrasOffers(policy: RrasPolicy | null): { ike: string[]; esp: string[] } | { unknown: string } {
  if (!policy) return { ike: [...AZURE_DEFAULT_OFFERS.ike], esp: [...AZURE_DEFAULT_OFFERS.esp] };
  const encryption = RRAS_ENCRYPTION[policy.encryptionMethod];
  const integrity = RRAS_INTEGRITY[policy.integrityCheckMethod];
  const cipher = RRAS_CIPHER[policy.cipherTransformConstants];
  const dh = RRAS_DH[policy.dhGroup];
  const auth = RRAS_AUTH[policy.authenticationTransformConstants];
  const pfs = RRAS_PFS[policy.pfsGroup];
  const unknown = [encryption === undefined && `-EncryptionMethod ${policy.encryptionMethod}`, integrity === undefined && `-IntegrityCheckMethod ${policy.integrityCheckMethod}`, cipher === undefined && `-CipherTransformConstants ${policy.cipherTransformConstants}`, dh === undefined && `-DHGroup ${policy.dhGroup}`, auth === undefined && `-AuthenticationTransformConstants ${policy.authenticationTransformConstants}`, pfs === undefined && `-PfsGroup ${policy.pfsGroup}`].filter(Boolean);
  if (unknown.length > 0) return { unknown: `RRAS has no value ${unknown.join(', ')}` };
  return { ike: [proposal(encryption!, integrity!, dh!)], esp: [proposal(cipher!, auth!, pfs === 'ike' ? dh! : pfs!)] };
}

/** Azure's reserved routes with next hop None for a VNet's space (the model's data table). */
export function noneRoutesFor(addressSpace: readonly string[]): { prefix: string; source: string }[] {
  return noneRoutes(addressSpace.filter((p) => !p.includes(':'))).map((r) => ({ prefix: r.prefix, source: `Azure (${r.reserved})` }));
}

const RANK: Record<EffectiveRoute['rank'], number> = { udr: 0, 'gateway-er': 1, 'gateway-vpn': 2, system: 3 };

/**
 * A subnet's effective routes from its fixed routes (system and user-defined) and what the gateways
 * teach it now: gateway routes inside the VNet's or a peering's space are dropped, then for each
 * prefix the best rank wins (user-defined, ExpressRoute, VPN, system); next hops of one rank and
 * prefix are merged (active-active instances).
 */
export function effectiveRoutes(fixed: readonly EffectiveRoute[], taught: readonly EffectiveRoute[], systemRanges: readonly string[]): EffectiveRoute[] {
  const ranges = systemRanges.map(parse).filter((p): p is Prefix => p !== undefined);
  const kept = taught.filter((r) => {
    const p = parse(r.prefix);
    return p !== undefined && !ranges.some((range) => contains(range, p));
  });
  const best = new Map<string, EffectiveRoute>();
  for (const r of [...fixed, ...kept]) {
    const current = best.get(r.prefix);
    if (!current || RANK[r.rank] < RANK[current.rank]) best.set(r.prefix, r);
    else if (current.rank === r.rank && current.hop.kind === 'via' && r.hop.kind === 'via' && current.hop.dev === r.hop.dev) {
      const addresses = [...new Set([...current.hop.addresses, ...r.hop.addresses])].sort();
      best.set(r.prefix, { ...current, hop: { ...current.hop, addresses }, source: current.source === r.source ? current.source : `${current.source}, ${r.source}` });
    }
  }
  return [...best.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
}

/**
 * The Linux routes of one subnet's table: a route into the VNet or a peering is a `throw` (the
 * lookup goes on to the delivery table, which knows each subnet), None a blackhole, the Internet
 * the fabric's link to it, the rest their next hops.
 */
export function linuxRoutes(routes: readonly EffectiveRoute[], table: number, internet: { via: string; dev: string }): LabRoute[] {
  return routes.map((r): LabRoute => {
    switch (r.hop.kind) {
      case 'vnet':
        return { table, prefix: r.prefix, type: 'throw' };
      case 'none':
        return { table, prefix: r.prefix, type: 'blackhole' };
      case 'internet':
        return { table, prefix: r.prefix, via: [internet.via], dev: internet.dev, onlink: true };
      case 'via':
        return { table, prefix: r.prefix, via: r.hop.addresses, dev: r.hop.dev };
    }
  });
}

function parse(text: string): Prefix | undefined {
  const p = parsePrefix(text);
  return p.ok ? p.value : undefined;
}

/** The n-th address of a prefix (0 is the network address), as text. */
export function nthAddress(prefix: string, n: number): string {
  const p = parse(prefix);
  if (!p || p.version !== 4) throw new Error(`not an IPv4 prefix: ${prefix}`);
  const value = Number(p.first) + n;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Azure's first usable address of a subnet is .4 (.0 network, .1 gateway, .2-.3 DNS). */
export const AZURE_FIRST_USABLE = 4;
/** The subnet's default gateway, where its NICs send everything: the fabric answers there. */
export const AZURE_SUBNET_GATEWAY = 1;
