/**
 * Network security groups as Azure evaluates them: the default rules every group has beneath its
 * own, the service tags a rule may name, and the port and priority ranges. Both the schema and
 * the data plane read these.
 *
 * Source: Microsoft Learn, "Network security groups" (articles/virtual-network/
 * network-security-groups-overview.md): "Default security rules" (AllowVNetInBound 65000,
 * AllowAzureLoadBalancerInBound 65001, DenyAllInBound 65500; AllowVnetOutBound 65000,
 * AllowInternetOutBound 65001, DenyAllOutBound 65500), "Security rules" (priority 100-4096, first
 * match wins, rules are stateful: the return traffic of an allowed flow is allowed); "Service
 * tags" (articles/virtual-network/service-tags-overview.md): VirtualNetwork is the VNet's address
 * space, peered VNets, on-premises address spaces connected through a gateway and the prefixes of
 * user-defined routes; AzureLoadBalancer is 168.63.129.16; Internet is the public address space.
 * The order of evaluation ("How network security groups filter network traffic",
 * network-security-group-how-it-works.md): inbound, the subnet's group and then the network
 * interface's; outbound, the network interface's and then the subnet's.
 */
export const NSG_PRIORITY = { min: 100, max: 4096 } as const;

/** Service tags a rule may name, and `*` (any address). */
export const NSG_SERVICE_TAGS = ['VirtualNetwork', 'Internet', 'AzureLoadBalancer', '*'] as const;
export type NsgServiceTag = (typeof NSG_SERVICE_TAGS)[number];

/** AzureLoadBalancer: Azure's infrastructure address (health probes), as the tag resolves. */
export const AZURE_LOAD_BALANCER_PREFIX = '168.63.129.16/32';

export interface DefaultSecurityRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly source: NsgServiceTag;
  readonly destination: NsgServiceTag;
}

/** The rules beneath every group's own (any protocol, any port). */
export const NSG_DEFAULT_RULES: readonly DefaultSecurityRule[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', source: 'VirtualNetwork', destination: 'VirtualNetwork' },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', source: 'AzureLoadBalancer', destination: '*' },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', source: '*', destination: '*' },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', source: 'VirtualNetwork', destination: 'VirtualNetwork' },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', source: '*', destination: 'Internet' },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', source: '*', destination: '*' },
];
