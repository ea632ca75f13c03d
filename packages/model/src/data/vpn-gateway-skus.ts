/**
 * Microsoft's VPN gateway SKU table, the one place hybridnet keeps it. The schema's defaults (the
 * gateway generation) and the validator's rules (generation pairs, Basic's missing features,
 * tunnel budgets, retirement, point-to-site limits, ExpressRoute coexistence) all read it.
 *
 * Sources (Microsoft Learn, MicrosoftDocs/azure-docs):
 * - articles/vpn-gateway/about-gateway-skus.md and the include vpn-gateway-table-gwtype-aggtput-include.md:
 *   tunnels, point-to-site connections per protocol, BGP, zone redundancy, and which generation
 *   each SKU exists in (Basic, VpnGw1 and VpnGw1AZ are Generation1 only; VpnGw4/5 Generation2 only).
 *   ARM rejects any other pair with VirtualNetworkGatewaySkuCannotBeCreatedForSpecifiedVmGeneration.
 * - articles/vpn-gateway/gateway-sku-consolidation.md and gateway-sku-upgrade.md: the non-AZ SKUs
 *   VpnGw1-5 are consolidated into their AZ equivalents: since January 2025 no new gateway can be
 *   created with one (validate: an error); a Generation1 SKU upgrades within Generation1 AZ.
 * - articles/expressroute/expressroute-howto-coexist-resource-manager.md: every SKU but Basic
 *   co-exists with an ExpressRoute gateway (route-based only).
 * - articles/vpn-gateway/vpn-gateway-about-vpn-gateway-settings.md (Basic: no BGP, no
 *   active-active, no IKEv2/OpenVPN point-to-site, no RADIUS, no IPv6).
 */
import type { VPN_GATEWAY_SKUS } from '../schema/azure.ts';

export type VpnGatewaySku = (typeof VPN_GATEWAY_SKUS)[number];
export type GatewayGeneration = 'Generation1' | 'Generation2';

export interface VpnGatewaySkuFacts {
  /** Generations the SKU exists in; the last is the default when the topology gives none. */
  readonly generations: readonly GatewayGeneration[];
  readonly zoneRedundant: boolean;
  /** The zone-redundant SKU a non-AZ SKU is consolidated into (a new gateway cannot use the non-AZ one). */
  readonly azEquivalent?: VpnGatewaySku;
  /** Site-to-site and VNet-to-VNet tunnels. */
  readonly tunnels: number;
  readonly bgp: boolean;
  readonly activeActive: boolean;
  readonly expressRouteCoexistence: boolean;
  readonly ipv6: boolean;
  readonly radius: boolean;
  /** Point-to-site connections: SSTP, and IKEv2/OpenVPN together (0 = protocol not offered). */
  readonly pointToSite: { readonly sstp: number; readonly ikev2OpenVpn: number };
}

const full = (generations: GatewayGeneration[], zoneRedundant: boolean, tunnels: number, ikev2OpenVpn: number, azEquivalent?: VpnGatewaySku): VpnGatewaySkuFacts => ({
  generations,
  zoneRedundant,
  ...(azEquivalent ? { azEquivalent } : {}),
  tunnels,
  bgp: true,
  activeActive: true,
  expressRouteCoexistence: true,
  ipv6: true,
  radius: true,
  pointToSite: { sstp: 128, ikev2OpenVpn },
});

export const VPN_GATEWAY_SKU_TABLE: Readonly<Record<VpnGatewaySku, VpnGatewaySkuFacts>> = {
  Basic: { generations: ['Generation1'], zoneRedundant: false, tunnels: 10, bgp: false, activeActive: false, expressRouteCoexistence: false, ipv6: false, radius: false, pointToSite: { sstp: 128, ikev2OpenVpn: 0 } },
  VpnGw1: full(['Generation1'], false, 30, 250, 'VpnGw1AZ'),
  VpnGw2: full(['Generation1', 'Generation2'], false, 30, 500, 'VpnGw2AZ'),
  VpnGw3: full(['Generation1', 'Generation2'], false, 30, 1000, 'VpnGw3AZ'),
  VpnGw4: full(['Generation2'], false, 100, 5000, 'VpnGw4AZ'),
  VpnGw5: full(['Generation2'], false, 100, 10000, 'VpnGw5AZ'),
  VpnGw1AZ: full(['Generation1'], true, 30, 250),
  VpnGw2AZ: full(['Generation1', 'Generation2'], true, 30, 500),
  VpnGw3AZ: full(['Generation1', 'Generation2'], true, 30, 1000),
  VpnGw4AZ: full(['Generation2'], true, 100, 5000),
  VpnGw5AZ: full(['Generation2'], true, 100, 10000),
};

/** The gateway's generation: as given, or the newest its SKU exists in. */
export function gatewayGeneration(gateway: { readonly sku: VpnGatewaySku; readonly generation?: GatewayGeneration | undefined }): GatewayGeneration {
  return gateway.generation ?? VPN_GATEWAY_SKU_TABLE[gateway.sku].generations.at(-1)!;
}

/** Every SKU/generation pair Azure accepts, for messages. */
export function allowedGatewayPairs(): string[] {
  return Object.entries(VPN_GATEWAY_SKU_TABLE).flatMap(([sku, facts]) => facts.generations.map((g) => `${sku}/${g}`));
}
