/**
 * The lab's plan: everything `lab up` builds for one topology, decided before anything runs. One
 * network namespace per node, veth links between them (bridges where a segment has several
 * members), and per node its addresses, routes, policy rules, nftables ruleset, strongSwan and
 * FRR configuration and listener ports. The runtime only carries it out; the SDN sync (the part of
 * Azure no open implementation has) fills the subnets' gateway routes from the gateways' live RIBs.
 *
 * Secrets never appear here: an IKE connection names a secret by id, resolved at `lab up`.
 */
import type { SecretRef } from '@hybridnet/model';

export type LabRole =
  | 'internet'
  | 'fabric'
  | 'vpn-gateway'
  | 'er-gateway'
  | 'route-server'
  | 'p2s'
  | 'tunnel'
  | 'site-router'
  | 'site-lan'
  | 'firewall'
  | 'host'
  | 'app';

export interface LabRoute {
  /** Routing table (default: main). */
  readonly table?: number;
  readonly prefix: string;
  /** Next hops; several make an equal-cost multipath route. */
  readonly via?: readonly string[];
  readonly dev?: string;
  readonly type?: 'blackhole' | 'unreachable' | 'throw';
  readonly metric?: number;
  readonly src?: string;
  /** The next hop is on the link even though no address there covers it. */
  readonly onlink?: boolean;
}

export interface LabRule {
  readonly pref: number;
  readonly iif?: string;
  readonly table?: number;
  readonly type?: 'blackhole';
}

/** One IKEv2 connection of a charon (one tunnel end, a point-to-site server or client). */
export interface IkeConnection {
  readonly name: string;
  /** Address charon binds (a public address of the lab). */
  readonly local: string;
  /** The peer's address; null for a responder that accepts any (point-to-site). */
  readonly remote: string | null;
  readonly localId: string;
  readonly remoteId: string;
  /** strongSwan proposal strings, in order of preference. */
  readonly ike: readonly string[];
  readonly esp: readonly string[];
  readonly initiate: boolean;
  /** Id of the pre-shared key (LabPlan.secrets). */
  readonly secret: string;
  /** Ask the peer for a virtual address (point-to-site client). */
  readonly vip?: boolean;
  /** Hand out addresses from this pool (point-to-site server). */
  readonly pool?: { readonly name: string; readonly addrs: string };
  /** The inner link, up while the tunnel's SA is and down otherwise, and the router behind it (what leaves the tunnel goes there). */
  readonly inner?: { readonly ifname: string; readonly via: string };
  /** Prefixes routed into the tunnel from the virtual address once the peer gives one (a point-to-site client). */
  readonly tunnelRoutes?: readonly string[];
  readonly ikeLifetime: number;
  readonly childLifetime: number;
  /** What the connection stands for, for messages ("tunnel hub-to-branch, instance 0"). */
  readonly label: string;
}

export interface IkeConfig {
  readonly connections: readonly IkeConnection[];
}

export interface LabNode {
  /** Short and unique in the lab; the namespace is `<lab>-<id>`. */
  readonly id: string;
  readonly role: LabRole;
  /** What it stands for, in the topology's words. */
  readonly label: string;
  readonly forwarding: boolean;
  readonly loopback: string[];
  readonly bridges: { readonly name: string; readonly addresses: string[] }[];
  readonly routes: LabRoute[];
  readonly rules: LabRule[];
  /** nftables ruleset (flushed and loaded whole). */
  nft: string | null;
  ike: IkeConfig | null;
  /** FRR configuration (zebra, staticd and bgpd read one file). */
  frr: string | null;
  /** TCP ports a listener answers on. */
  readonly listen: number[];
}

export interface LinkEnd {
  readonly node: string;
  readonly ifname: string;
  readonly addresses: readonly string[];
  /** A bridge of this node the interface joins (then it has no addresses of its own). */
  readonly bridge?: string;
}

export interface LabLink {
  readonly a: LinkEnd;
  readonly b: LinkEnd;
}

/** What `lab fail` can take down: a tunnel, a gateway instance, a connection or a circuit. */
export interface LabElement {
  /** As the user names it: `tunnel:<connection>/<instance>`, `instance:<gateway>/<n>`, `connection:<name>`, `circuit:<connection>`. */
  readonly name: string;
  readonly kind: 'tunnel' | 'instance' | 'connection' | 'circuit';
  /** Interfaces set down (node, interface). */
  readonly interfaces: readonly { readonly node: string; readonly ifname: string }[];
}

/** A gateway as the SDN sync sees it: the node, its address in GatewaySubnet, what it propagates. */
export interface FabricGateway {
  readonly node: string;
  readonly kind: 'vpn' | 'er';
  readonly gateway: string;
  readonly vnet: string;
  /** Its address in GatewaySubnet (the next hop subnets use), and the fabric's interface there. */
  readonly address: string;
  readonly dev: string;
  /** Routes whose next hop is one of these are the gateway's own VNet routes or learned from the other gateway: not propagated. */
  readonly notPropagatedVia: readonly string[];
  /** Host routes to BGP peers, which a co-existing ExpressRoute gateway keeps from subnets. */
  readonly peerHosts: readonly string[];
  /** Prefixes it teaches whatever a RIB says (point-to-site: its pool); when set, no RIB is read. */
  readonly teaches?: readonly string[];
}

export type EffectiveHop =
  | { readonly kind: 'vnet' }
  | { readonly kind: 'none' }
  | { readonly kind: 'internet' }
  | { readonly kind: 'via'; readonly addresses: readonly string[]; readonly dev: string };

export type EffectiveRank = 'udr' | 'gateway-er' | 'gateway-vpn' | 'system';

/** One route of a subnet's effective routes, typed; the sync turns the winners into Linux routes. */
export interface EffectiveRoute {
  readonly prefix: string;
  readonly rank: EffectiveRank;
  readonly hop: EffectiveHop;
  /** Where it comes from ("route table rt-x", "gateway vgw-hub instance 0", "Azure (RFC 1918)"). */
  readonly source: string;
}

export interface FabricSubnet {
  readonly vnet: string;
  readonly subnet: string;
  readonly bridge: string;
  /** The table its traffic is routed by, and the delivery table its VNet and peered VNets share. */
  readonly table: number;
  readonly deliver: number;
  /** System routes and user-defined routes: everything but what gateways teach. */
  readonly fixed: readonly EffectiveRoute[];
  /** Whose gateways teach it routes (its VNet, or the hub lending it gateway transit); null when its route table turns propagation off. */
  readonly gatewayVnet: string | null;
  /** Gateway routes inside these (the VNet and peered VNets) never win over system routes. */
  readonly systemRanges: readonly string[];
}

export interface FabricPlan {
  readonly node: string;
  /** The Internet's address on the fabric's link to it, and that interface. */
  readonly internet: { readonly via: string; readonly dev: string };
  readonly subnets: readonly FabricSubnet[];
  readonly gateways: readonly FabricGateway[];
}

/** A connection's pre-shared key: read from the topology's reference where the lab can, else made for the lab. */
export interface LabSecret {
  readonly id: string;
  readonly connection: string;
  /** The environment variable holding it when the topology's reference is one; null: a random key made for the lab, the same at both ends. */
  readonly env: string | null;
  /** The topology's reference (null for what the topology gives no key: point-to-site in the lab). */
  readonly ref: SecretRef | null;
}

export interface FlowEnd {
  readonly node: string;
  readonly address: string;
  /** As the topology names it (a test endpoint, an app, "vnet-hub/app (10.1.1.4)"). */
  readonly label: string;
}

/** One TCP connection `lab test` opens for an intent. */
export interface LabFlow {
  readonly id: number;
  readonly intent: string;
  readonly kind: 'reach' | 'symmetric' | 'isolate';
  /** `forward` from the intent's source; `reverse` for the way back of a symmetric intent. */
  readonly direction: 'forward' | 'reverse';
  /** The `to` entry (as written) this flow answers. */
  readonly target: string;
  readonly from: FlowEnd;
  readonly to: FlowEnd & { readonly port: number };
  /** The firewall the request must cross (intent's via), by node. */
  readonly via: { readonly firewall: string; readonly node: string } | null;
}

/** A part of the topology the lab cannot bring up, and why; `lab up` refuses with these. */
export interface LabGap {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface LabPlan {
  /** The per-topology prefix of every namespace (`hn` and six hex digits of the topology's name). */
  readonly lab: string;
  readonly topology: string;
  readonly nodes: readonly LabNode[];
  readonly links: readonly LabLink[];
  readonly fabric: FabricPlan | null;
  readonly flows: readonly LabFlow[];
  readonly elements: readonly LabElement[];
  readonly secrets: readonly LabSecret[];
  /** What must be up before the lab is ready: IKE SAs (node, connection) and BGP sessions (node, peer address). */
  readonly expect: { readonly sas: readonly { readonly node: string; readonly connection: string; readonly label: string }[]; readonly bgp: readonly { readonly node: string; readonly peer: string; readonly label: string }[] };
  /** What the lab leaves out for this topology (IPv6, for one), said once. */
  readonly notes: readonly string[];
  readonly gaps: readonly LabGap[];
}
