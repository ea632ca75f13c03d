/**
 * The target-shaped form of one CloudGen Firewall: REST payloads (shapes from the CGF REST API
 * v8+, ../shared/reference/generators.md §2.3) and the steps that apply them.
 */
export interface CgfEntry {
  readonly entry?: { readonly ip: string };
  readonly references?: string;
}

/** POST/PUT /rest/config/v1/forwarding-firewall/objects/networks[/{name}] */
export interface CgfNetworkObject {
  readonly name: string;
  readonly type: 'listIPv4Network' | 'listIPv6Network' | 'generic';
  readonly comment: string;
  readonly included: CgfEntry[];
  readonly excluded: CgfEntry[];
}

export type CgfAddress = { readonly references: string } | { readonly explicit: { readonly included: CgfEntry[]; readonly excluded: CgfEntry[] } };

/** POST/PUT /rest/config/v1/forwarding-firewall/rules[/{name}] */
export interface CgfRule {
  readonly name: string;
  readonly comment: string;
  readonly deactivated: false;
  readonly bidirectional: false;
  readonly ipVersion: 'IPv4';
  readonly position: { readonly placement: 'top' } | { readonly placement: 'after'; readonly reference: string };
  readonly source: CgfAddress;
  readonly destination: CgfAddress;
  readonly service: { readonly references: string } | { readonly explicit: { readonly entries: { readonly references: string }[] } };
  readonly action: { readonly type: 'pass'; readonly connection: { readonly references: CgfConnection } } | { readonly type: 'block' | 'deny' };
}

/**
 * Predefined connection objects (the source address of passed traffic): "Dynamic SNAT" gives it
 * the address of the egress interface, "Original Source IP" keeps it (campus.barracuda.com
 * CloudGen Firewall doc 43846951 "Connection Objects"; the REST field as in barracuda-api's tests).
 */
export type CgfConnection = 'Dynamic SNAT' | 'Original Source IP';

export interface CgfStep {
  /** Collection under /rest/config/v1/forwarding-firewall/. */
  readonly collection: 'objects/networks' | 'rules';
  readonly name: string;
  /** Payload file, relative to the firewall's folder. */
  readonly file: string;
  /** Text in the payload's comment that identifies this exact content (idempotent re-runs). */
  readonly marker: string;
  readonly payload: CgfNetworkObject | CgfRule;
}

/** A user-defined route that sends traffic to this firewall. */
export interface CgfInboundRoute {
  readonly routeTable: string;
  readonly route: string;
  readonly prefix: string;
  readonly subnets: string[];
}

export interface CgfFirewall {
  readonly name: string;
  readonly privateIp: string;
  readonly resourceGroup: string;
  readonly steps: CgfStep[];
  readonly inboundRoutes: CgfInboundRoute[];
}

/** A site whose VPN device is a CloudGen Firewall: the IKEv2 tunnel settings an operator enters by hand. */
export interface CgfSiteTunnel {
  readonly site: string;
  readonly connection: string;
  readonly gateway: string;
  readonly instances: { readonly instance: number; readonly publicIpOutput: string }[];
  readonly localNetworks: string[];
  readonly remoteNetworks: string[];
  readonly ikeVersion: string;
  readonly policy: { readonly label: string; readonly value: string }[];
  readonly secret: string;
  readonly bgp: string | null;
}
