/**
 * Every rule of the validator: its code, severity, what it catches and an example. The package
 * README's catalogue is checked against this list, and a meta-test requires a failing and a
 * passing case for each code.
 */
import type { Severity } from '@hybridnet/model';

export interface RuleInfo {
  readonly severity: Severity;
  readonly summary: string;
  readonly example: string;
}

const rule = (severity: Severity, summary: string, example: string): RuleInfo => ({ severity, summary, example });

export const VALIDATE_CODES = {
  // Address plan
  'hybridnet/validate/address/vnet-forbidden-range': rule('error', 'a VNet or subnet uses a range Azure forbids (multicast, broadcast, loopback, link-local, 168.63.129.16)', 'addressSpace: [169.254.0.0/16]'),
  'hybridnet/validate/address/vnet-public-range': rule('warning', 'a VNet uses public IPv4 space (allowed, but not reachable from the Internet and easily confused)', 'addressSpace: [20.0.0.0/16]'),
  'hybridnet/validate/address/vnet-self-overlap': rule('error', "a VNet's own address prefixes overlap", 'addressSpace: [10.0.0.0/16, 10.0.4.0/24]'),
  'hybridnet/validate/address/subnet-size': rule('error', 'an IPv4 subnet outside /2../29, or an IPv6 subnet that is not /64', 'prefix: 10.0.1.0/30'),
  'hybridnet/validate/address/subnet-outside-vnet': rule('error', "a subnet lies outside its VNet's address space", 'VNet 10.0.0.0/16, subnet 10.1.0.0/24'),
  'hybridnet/validate/address/subnet-overlap': rule('error', 'two subnets of one VNet overlap', 'frontend 10.0.1.0/24 and backend 10.0.1.128/25'),
  'hybridnet/validate/address/domain-overlap': rule('error', 'two address spaces that become mutually reachable overlap (VNets joined by peering or gateways, site LANs, AWS VPCs)', 'vnet-hub 10.0.0.0/16 and site branch 10.0.8.0/24'),
  'hybridnet/validate/address/p2s-pool-overlap': rule('error', 'a point-to-site pool overlaps something its clients reach', 'pool 10.0.200.0/24 inside vnet-hub 10.0.0.0/16'),
  'hybridnet/validate/address/p2s-pool-public': rule('warning', 'a point-to-site pool outside RFC 1918 (an error when App Service gateway-required integration uses it)', 'addressPool: [100.64.0.0/24]'),
  'hybridnet/validate/address/aws-cidr-size': rule('error', 'an AWS VPC or subnet CIDR outside /16../28, or a subnet outside its VPC', 'vpcCidr: 10.20.0.0/12'),
  'hybridnet/validate/address/site-layout': rule('error', "a site's parts do not fit its LAN: the VPN device's address, the AWS VPC, or the simulating VNet lie outside it", 'lan 10.20.0.0/16, device privateIp 10.30.0.4'),
  'hybridnet/validate/address/apipa-overlap': rule('error', 'the same APIPA BGP address is used twice across gateways, instances and sites', 'instances: [{apipa: [169.254.21.1]}, {apipa: [169.254.21.1]}]'),
  // Named subnets
  'hybridnet/validate/subnet/gateway-subnet-missing': rule('error', 'a VNet with a VPN or ExpressRoute gateway has no subnet named exactly GatewaySubnet', 'subnets: [{name: gateway, ...}]'),
  'hybridnet/validate/subnet/gateway-subnet-below-recommended': rule('warning', 'GatewaySubnet is smaller than the recommended /27', 'prefix: 10.0.255.0/28'),
  'hybridnet/validate/subnet/gateway-subnet-coexistence-size': rule('error', 'VPN and ExpressRoute gateways co-exist but GatewaySubnet is smaller than /27', 'prefix: 10.0.255.0/28 with both gateways'),
  'hybridnet/validate/subnet/gateway-subnet-default-route': rule('error', 'the route table on GatewaySubnet has a 0.0.0.0/0 route (gateway creation is blocked)', 'route 0.0.0.0/0 → firewall on GatewaySubnet'),
  'hybridnet/validate/subnet/gateway-subnet-propagation': rule('error', 'the route table on GatewaySubnet disables gateway route propagation (the gateway stops working)', 'propagateGatewayRoutes: false on GatewaySubnet'),
  'hybridnet/validate/subnet/dedicated-subnet-in-use': rule('error', 'a VM, firewall or integration is placed in GatewaySubnet, RouteServerSubnet or a delegated subnet', 'testEndpoints attach: {subnet: GatewaySubnet}'),
  'hybridnet/validate/subnet/route-server-subnet-missing': rule('error', 'a Route Server without a subnet named exactly RouteServerSubnet', 'routeServer declared, no RouteServerSubnet'),
  'hybridnet/validate/subnet/route-server-subnet-size': rule('error', 'RouteServerSubnet smaller than /27 (/26 is the current minimum)', 'prefix: 10.0.1.0/28'),
  'hybridnet/validate/subnet/route-server-subnet-below-recommended': rule('warning', 'RouteServerSubnet is /27, which only older deployments accepted; /26 is required now', 'prefix: 10.0.1.0/27'),
  'hybridnet/validate/subnet/route-server-subnet-route-table': rule('error', 'a route table is associated with RouteServerSubnet', 'routeTable on RouteServerSubnet'),
  // App Service
  'hybridnet/validate/appservice/integration-subnet-delegation': rule('error', 'a regional VNet integration subnet is not delegated to Microsoft.Web/serverFarms', 'integration subnet without delegation'),
  'hybridnet/validate/appservice/integration-subnet-size': rule('error', 'a regional VNet integration subnet smaller than /28', 'prefix: 10.0.3.0/29'),
  'hybridnet/validate/appservice/integration-subnet-below-recommended': rule('warning', 'a regional VNet integration subnet smaller than the recommended /26 (scaling temporarily doubles address use)', 'prefix: 10.0.3.0/28'),
  'hybridnet/validate/appservice/integration-subnet-shared': rule('error', 'two App Service plans share one integration subnet', 'two apps, two plans, one subnet'),
  'hybridnet/validate/appservice/integration-vnet-ipv6': rule('error', 'regional VNet integration into a VNet with IPv6 address space', 'addressSpace: [10.0.0.0/16, 2001:db8::/48]'),
  'hybridnet/validate/appservice/gateway-required-needs-p2s': rule('error', "gateway-required integration needs the VNet's route-based VPN gateway with point-to-site, SSTP and certificate authentication", 'pointToSite missing on the gateway'),
  'hybridnet/validate/appservice/gateway-required-with-expressroute': rule('error', 'gateway-required integration does not work in a VNet with an ExpressRoute gateway, even in coexistence', 'expressRouteGateway in the same VNet'),
  'hybridnet/validate/appservice/gateway-required-ikev2': rule('error', 'gateway-required integration on a gateway (other than Basic) that also offers IKEv2 point-to-site: the app connects over SSTP alone', 'tunnelTypes: [SSTP, IKEv2] with gateway-required'),
  'hybridnet/validate/appservice/unique-name-too-long': rule('error', 'a name Azure requires to be unique worldwide is too long once azure.uniqueSuffix is added: an App Service app over 60 characters, a Key Vault over 24', 'vault: kv-webapp-hybrid-prod with uniqueSuffix: abcdefgh'),
  'hybridnet/validate/appservice/gateway-required-retiring': rule('warning', 'gateway-required VNet integration is being retired by Azure; regional integration replaces it', 'integration: {type: gateway-required}'),
  // Gateways
  'hybridnet/validate/gateway/sku-generation': rule('error', 'a gateway SKU in a generation it does not exist in (VpnGw1, VpnGw1AZ and Basic are Generation1 only; VpnGw4/5 Generation2 only)', 'sku: VpnGw1AZ, generation: Generation2'),
  'hybridnet/validate/gateway/sku-retiring': rule('error', 'a non-zone-redundant VpnGw1-5 SKU: since January 2025 Azure creates no new gateway with one (consolidated into the AZ SKUs)', 'sku: VpnGw1'),
  'hybridnet/validate/gateway/basic-sku-feature': rule('error', 'a SKU with a feature it lacks (Basic): BGP, active-active, ExpressRoute coexistence, IKEv2/OpenVPN point-to-site, RADIUS, IPv6', 'sku: Basic, activeActive: true'),
  'hybridnet/validate/gateway/policy-based-feature': rule('error', 'a policy-based gateway with a feature that needs route-based: point-to-site, BGP, active-active, coexistence, Route Server, more than one connection', 'vpnType: PolicyBased with pointToSite'),
  'hybridnet/validate/gateway/tunnel-budget': rule('error', "more site-to-site and VNet-to-VNet tunnels than the SKU allows (Basic 10, VpnGw1-3 30, VpnGw4-5 100)", '11 tunnels on a Basic gateway'),
  'hybridnet/validate/gateway/tunnel-instance': rule('error', 'a tunnel to an instance the gateway does not have (instance 1 of an active-standby gateway), or two tunnels to one instance', 'tunnels: [{instance: 1}] to an active-standby gateway'),
  'hybridnet/validate/gateway/active-active-apipa': rule('error', 'custom APIPA addresses given for a different number of instances than the gateway has', 'activeActive: true with one instances entry'),
  'hybridnet/validate/gateway/coexistence-asn': rule('error', 'a VPN gateway co-existing with ExpressRoute or used by Route Server must keep ASN 65515', 'bgp: {asn: 65010} beside an ExpressRoute gateway'),
  'hybridnet/validate/gateway/route-server-needs-active-active': rule('error', 'Route Server branch-to-branch with a VPN gateway that is not active-active', 'activeActive: false with routeServer.branchToBranch'),
  // BGP
  'hybridnet/validate/bgp/asn-reserved': rule('error', 'an on-premises or appliance ASN that Azure or IANA reserves (8074, 8075, 12076, 65515, 65517-65520, 23456, 64496-64511, 65535-65551)', 'asn: 65515 on a site'),
  'hybridnet/validate/bgp/asn-range': rule('error', 'an ASN above 65535: Azure VPN gateways and Route Server take 16-bit ASNs', 'asn: 4200000000'),
  'hybridnet/validate/bgp/asn-same-as-azure': rule('error', "a site or appliance uses the same ASN as the Azure side it peers with", 'site asn 65515 toward a 65515 gateway'),
  'hybridnet/validate/bgp/peer-ip-is-public-ip': rule('error', "a site's BGP peer address equals its public IP", 'bgp.peerIp == device.publicIp'),
  'hybridnet/validate/bgp/peer-ip-unreachable': rule('error', "a site's BGP peer address is neither in its LAN nor an APIPA address", 'lan 10.60.0.0/16, peerIp 10.70.0.4'),
  'hybridnet/validate/bgp/apipa-range': rule('error', 'a custom APIPA address outside 169.254.21.0-169.254.22.255, a tunnel choosing an address its instance lacks, or an APIPA site peer without gateway APIPA addresses', 'apipa: [169.254.30.1]'),
  'hybridnet/validate/bgp/connection-needs-bgp-ends': rule('error', 'a connection runs BGP but the gateway or the site has no BGP settings', 'bgp: true, gateway without bgp'),
  'hybridnet/validate/bgp/site-bgp-unused': rule('warning', 'a site has BGP settings but its connections run static routing', 'site bgp set, connection bgp: false'),
  'hybridnet/validate/bgp/multiple-connections-need-bgp': rule('error', 'a site reached by more than one connection without BGP on all of them', 'two static connections to one site'),
  'hybridnet/validate/bgp/exact-vnet-prefix-advertised': rule('warning', 'a site advertises exactly a VNet prefix, which the gateway drops (a supernet is fine)', 'advertise: [10.0.0.0/16] = vnet-hub'),
  'hybridnet/validate/bgp/route-server-peer-location': rule('error', "a Route Server peer's address is not in the Route Server's VNet or a directly peered VNet", 'peerIp 192.168.0.4 outside the hub and its peers'),
  // Routes
  'hybridnet/validate/route/appliance-outside-subnet': rule('error', "a firewall's private IP is not inside its subnet", 'privateIp 10.0.2.4 in subnet 10.0.1.0/24'),
  'hybridnet/validate/route/appliance-in-served-subnet': rule('warning', "a route table sends traffic to a firewall and is associated with the firewall's own subnet (a loop)", 'rt via fw on the firewall subnet'),
  'hybridnet/validate/route/gateway-next-hop-with-coexistence': rule('error', 'a VirtualNetworkGateway next hop in a VNet where VPN and ExpressRoute gateways co-exist', 'nextHop: VirtualNetworkGateway'),
  'hybridnet/validate/route/table-limit': rule('error', 'more than 400 routes in one route table', '401 routes'),
  'hybridnet/validate/route/table-unused': rule('warning', 'a route table associated with no subnet', 'rt-spare not referenced'),
  'hybridnet/validate/route/region-mismatch': rule('error', "a route table, security group or NAT gateway on subnets of VNets in different regions: Azure associates one only with subnets of its own region (manage-route-table, manage-network-security-group, nat-gateway-resource)", 'rt-spoke on vnet-a (westeurope) and vnet-b (location: northeurope)'),
  'hybridnet/validate/route/firewall-rule-unreachable': rule('warning', "a firewall rule that passes traffic no route ever brings to the firewall: from its sources toward its destinations nothing reaches it, so it never matches", 'ONPREM-NETWORKS to EXTERNAL-API when no site routes the API to Azure'),
  // The two ends of a tunnel
  'hybridnet/validate/consistency/site-address-space': rule('error', "Azure's local network gateway for a site does not match the site's LAN", 'siteAddressSpace: [10.20.1.0/24] for lan 10.20.0.0/16'),
  'hybridnet/validate/consistency/azure-address-space': rule('error', "what a site routes toward Azure misses the VNets behind the gateway", 'azureAddressSpace without vnet-hub'),
  'hybridnet/validate/consistency/device-capability': rule('error', "the connection asks for something the site's device cannot do (RRAS: IKEv1, GCM for IKE)", 'ikeVersion: IKEv1 to an RRAS site'),
  // Routing, from the simulation
  'hybridnet/validate/routing/site-advertises-only-host': rule('error', "a BGP site advertises none of its LAN (often only its own host address), so Azure, ExpressRoute and other sites never learn the site", 'advertise: [10.60.0.4/32]'),
  'hybridnet/validate/routing/single-tunnel-to-active-active': rule('warning', 'one tunnel to an active-active gateway: the other instance forwards through it and maintenance drops the site', 'tunnels: [{instance: 0}] to an active-active gateway'),
  'hybridnet/validate/routing/p2s-return-path': rule('error', "a site does not route the point-to-site pool back to Azure, so point-to-site clients (and App Service) get no replies", 'azureAddressSpace without 172.16.201.0/24'),
  'hybridnet/validate/routing/er-vpn-transit-needs-route-server': rule('warning', 'sites behind ExpressRoute and sites on VPN in one VNet cannot reach each other without Route Server branch-to-branch', 'both gateways, no routeServer'),
  'hybridnet/validate/routing/firewall-rule-missing': rule('warning', 'a route sends traffic to a firewall, but no pass rule of that firewall covers it, so the firewall drops it', 'UDR 203.0.113.0/24 → fw on backend; no rule from the backend to 203.0.113.0/24'),
  'hybridnet/validate/routing/firewall-bypassed': rule('warning', 'a route table sends a range to a firewall, but more specific gateway routes inside it win, so that traffic bypasses the firewall', 'UDR 10.0.0.0/8 → fw, branch 10.20.0.0/16 from the gateway'),
  'hybridnet/validate/routing/app-bypasses-firewall': rule('error', "an App Service app reaches a range that its VNet sends through a firewall without passing the firewall (gateway-required: the range is not among the plan's routed prefixes; regional: route-all is off)", 'routedPrefixes without 203.0.113.0/24, which the VNet routes to fw-webapp'),
  'hybridnet/validate/routing/firewall-no-egress': rule('error', 'a firewall passes traffic to public space but has no public IP or NAT gateway, or keeps the original source address, so replies never come back', 'rule to 203.0.113.0/24, no publicIp, no natGateway on its subnet'),
  // Intents, answered by the data plane
  // Network security groups
  'hybridnet/validate/nsg/gateway-subnet': rule('error', 'a network security group on GatewaySubnet (Azure does not support it: the gateway stops working; vpn-gateway-about-vpn-gateway-settings, Azure Policy "Gateway subnets should not be configured with a network security group")', 'networkSecurityGroup on GatewaySubnet'),
  'hybridnet/validate/nsg/route-server-subnet': rule('error', 'a network security group on RouteServerSubnet (Route Server does not support it; route-server-faq)', 'networkSecurityGroup on RouteServerSubnet'),
  'hybridnet/validate/nsg/priority-taken': rule('error', 'two rules of one network security group share a priority in the same direction (Azure refuses the group; network-security-groups-overview, "Security rules")', 'two inbound rules with priority 100'),
  'hybridnet/validate/nsg/not-in-azure': rule('error', 'a network security group on a test endpoint at a site, which has no Azure NIC', 'networkSecurityGroup on an endpoint attached to a site'),
  'hybridnet/validate/nsg/shadowed-rule': rule('warning', 'a security rule never applies: an earlier rule (lower priority number, same direction) matches all its traffic (processing stops at the first match; network-security-groups-overview)', 'allow 443 from 10.20.0.0/16 at 200 beneath deny * from 10.0.0.0/8 at 100'),
  'hybridnet/validate/intent/icmp-port': rule('error', 'an intent names a port for ICMP, which has none', 'protocol: icmp, port: 443'),
  'hybridnet/validate/intent/unreachable': rule('error', 'an intent says traffic must flow, but the simulated packet is dropped on its way, or its reply is', 'reach from app-webapp to onprem-aws, and the site has no route back to the point-to-site pool'),
  'hybridnet/validate/intent/bypasses-firewall': rule('error', 'an intent says traffic must cross a firewall (via), but the packet arrives without crossing it', 'via: fw-webapp, while backend reaches 203.0.113.0/24 straight to the Internet'),
  'hybridnet/validate/intent/asymmetric': rule('error', 'the reply does not come back the way the request went: it bypasses a (stateful) firewall that saw the request, or, for a symmetric intent, crosses other gateways or firewalls', 'request through fw-hub, reply straight from the gateway'),
  'hybridnet/validate/intent/reachable': rule('error', 'an isolate intent says traffic must not flow, but the simulated packet arrives', 'isolate vnet-spoke from test-site, and the spoke uses the hub gateway'),
  'hybridnet/validate/intent/too-large': rule('error', 'an intent target that would take more flows than hybridnet walks for one topology (250,000, all intents together), or failure sets (survives:) past what it answers for one topology: it is not answered', 'from: 10.0.0.0/8, to: [10.0.0.0/8] over thousands of subnets'),
  'hybridnet/validate/intent/not-resilient': rule('error', 'an intent says it survives a failure (survives:), but with that element down its traffic no longer flows; the first failure that breaks it is named', "survives: any-single-failure, and the web app's only path is one active-standby gateway's point-to-site pool"),
  'hybridnet/validate/intent/failure-unknown': rule('error', "a failure in an intent's survives: names no element of the topology (a connection, tunnel, gateway, instance, Route Server, firewall or site)", 'survives: [[vgw-hub/2]]'),
  'hybridnet/validate/intent/endpoint': rule('error', "an intent's endpoint cannot take part: an App Service as a target, a prefix no subnet, site or app holds as a source, or two endpoints of different address families", 'to: [app-webapp]'),
} as const satisfies Record<string, RuleInfo>;

export type ValidateCode = keyof typeof VALIDATE_CODES;
