/**
 * The Azure side of a topology: VNets with their subnets and gateways, peerings, route tables,
 * network virtual appliances (Barracuda CloudGen Firewall) and App Service integration.
 *
 *   vnets:
 *     - name: vnet-hub
 *       addressSpace: [10.10.0.0/16]
 *       subnets:
 *         - { name: GatewaySubnet, prefix: 10.10.255.0/27 }
 *       vpnGateway: { name: vgw-hub, sku: VpnGw1AZ }
 */
import { AZURE_CLOUDS } from '../data/azure-clouds.ts';
import { NSG_PRIORITY } from '../data/nsg.ts';
import { z } from 'zod';
import { matching, wholeNumber, Asn, AzureRegion, Cidr, IpAddress, Ipv4Address, Ipv4Cidr, Name, SecretRef } from './primitives.ts';

export const VPN_GATEWAY_SKUS = ['Basic', 'VpnGw1', 'VpnGw2', 'VpnGw3', 'VpnGw4', 'VpnGw5', 'VpnGw1AZ', 'VpnGw2AZ', 'VpnGw3AZ', 'VpnGw4AZ', 'VpnGw5AZ'] as const;
export const EXPRESSROUTE_GATEWAY_SKUS = ['Standard', 'HighPerformance', 'UltraPerformance', 'ErGw1AZ', 'ErGw2AZ', 'ErGw3AZ', 'ErGwScale'] as const;

const ResourceGroupName = matching(/^[-\w.()]{0,89}[-\w()]$/, 'a resource group name is 1-90 letters, digits, "_", "-", ".", "(" or ")" and does not end with "."', 'invalid-name')
  .describe('Azure resource group name.');

export const ResourceGroups = z
  .strictObject({
    network: ResourceGroupName.describe('Resource group for VNets, gateways, connections, route tables and Route Server.'),
    firewall: ResourceGroupName.optional().describe('Resource group for network virtual appliances (default: network).'),
    app: ResourceGroupName.optional().describe('Resource group for App Service plans and apps (default: network).'),
    test: ResourceGroupName.optional().describe('Resource group for test VMs (default: network).'),
  })
  .describe('Which resource group holds which kind of resource; teams often keep firewalls and test machines apart.');

export const Subnet = z
  .strictObject({
    name: Name.describe('Subnet name. Azure requires the exact names GatewaySubnet, RouteServerSubnet, AzureFirewallSubnet, AzureBastionSubnet for those roles.'),
    prefix: Ipv4Cidr.describe('IPv4 prefix of the subnet, inside the VNet address space.'),
    ipv6Prefix: Cidr.optional().describe('IPv6 prefix of the subnet (a /64) in a dual-stack VNet.'),
    routeTable: Name.optional().describe('Name of the route table (azure.routeTables) associated with this subnet.'),
    delegation: z.enum(['Microsoft.Web/serverFarms']).optional().describe('Service the subnet is delegated to; Microsoft.Web/serverFarms for App Service regional VNet integration.'),
    natGateway: Name.optional().describe('Name of a NAT gateway (created with a Standard static public IP) for this subnet\'s outbound Internet traffic, for example a firewall\'s egress.'),
    networkSecurityGroup: Name.optional().describe('Name of the network security group (azure.networkSecurityGroups) associated with this subnet. Not on GatewaySubnet or RouteServerSubnet.'),
  })
  .describe('A subnet of a VNet.');

export const GatewayInstanceBgp = z
  .strictObject({
    apipa: z.array(Ipv4Address).min(1).max(32).describe('Custom APIPA BGP addresses of this instance (169.254.21.0-169.254.22.255).'),
  })
  .describe('BGP settings of one gateway instance.');

export const VpnGatewayBgp = z
  .strictObject({
    asn: Asn.default(65515).describe('ASN of the gateway (default 65515; must stay 65515 with ExpressRoute coexistence or Route Server).'),
    instances: z.array(GatewayInstanceBgp).max(2).optional().describe('Per-instance custom APIPA addresses: one entry for active-standby, two for active-active (instance 0, instance 1).'),
  })
  .describe('BGP on the VPN gateway. Absent: the gateway uses static routing toward local network gateways.');

export const PointToSiteAuth = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('certificate').describe('Certificate authentication.'),
        rootCertificates: z
          .array(
            z.strictObject({
              name: Name,
              publicCertData: matching(/^[A-Za-z0-9+/=\r\n]{16,}$/, 'publicCertData is the base64 body of the root certificate (.cer) without BEGIN/END lines').describe('Base64 body of the public root certificate (not a secret).'),
            }),
          )
          .default([])
          .describe('Trusted root certificates; may stay empty when App Service uploads its own certificate.'),
      })
      .describe('Azure certificate authentication.'),
    z
      .strictObject({
        type: z.literal('radius').describe('RADIUS authentication.'),
        server: IpAddress.describe('RADIUS server address.'),
        secret: SecretRef.describe('RADIUS shared secret.'),
      })
      .describe('RADIUS authentication.'),
    z
      .strictObject({
        type: z.literal('aad').describe('Microsoft Entra ID authentication.'),
        tenantId: z.uuid({ error: 'tenantId is a GUID' }).describe('Microsoft Entra tenant id.'),
        audience: matching(/^[A-Za-z0-9-]+$/, 'does not have the expected form').describe('Application id of the Azure VPN client registration.'),
      })
      .describe('Microsoft Entra ID authentication (OpenVPN only).'),
  ])
  .describe('How point-to-site clients authenticate.');

export const PointToSite = z
  .strictObject({
    addressPool: z.array(Ipv4Cidr).min(1).describe('Client address pool(s); must overlap nothing the clients reach.'),
    tunnelTypes: z.array(z.enum(['SSTP', 'IKEv2', 'OpenVPN'])).min(1).describe('Tunnel types offered to clients (App Service gateway-required integration uses SSTP).'),
    authentication: PointToSiteAuth,
  })
  .describe('Point-to-site configuration of the VPN gateway.');

export const VpnGateway = z
  .strictObject({
    name: Name,
    sku: z.enum(VPN_GATEWAY_SKUS).describe('Gateway SKU; AZ SKUs are zone-redundant.'),
    generation: z.enum(['Generation1', 'Generation2']).optional().describe('Gateway generation (default: the newest the SKU exists in; VpnGw1, VpnGw1AZ and Basic are Generation1 only).'),
    vpnType: z.enum(['RouteBased', 'PolicyBased']).default('RouteBased').describe('VPN type; everything beyond a single static tunnel needs RouteBased.'),
    activeActive: z.boolean().default(false).describe('Two instances, each with its own public IP and tunnel per connection.'),
    bgp: VpnGatewayBgp.optional(),
    pointToSite: PointToSite.optional(),
  })
  .describe('The VNet\'s VPN gateway (in GatewaySubnet).');

export const ExpressRouteGateway = z
  .strictObject({
    name: Name,
    sku: z.enum(EXPRESSROUTE_GATEWAY_SKUS).describe('ExpressRoute gateway SKU.'),
  })
  .describe('The VNet\'s ExpressRoute gateway; co-exists with the VPN gateway in GatewaySubnet.');

export const RouteServerPeer = z
  .strictObject({
    name: Name,
    peerIp: Ipv4Address.describe('BGP address of the appliance (in this VNet or a directly peered one).'),
    asn: Asn.describe('ASN of the appliance; must differ from 65515.'),
  })
  .describe('A BGP peer of the Route Server (a network virtual appliance).');

export const RouteServer = z
  .strictObject({
    name: Name,
    branchToBranch: z.boolean().default(false).describe('Exchange routes between the VPN gateway, the ExpressRoute gateway and appliances (allowBranchToBranchTraffic).'),
    routingPreference: z.enum(['ExpressRoute', 'VpnGateway', 'ASPath']).default('ExpressRoute').describe('Which path wins for the same prefix learned from several sources (hubRoutingPreference).'),
    peers: z.array(RouteServerPeer).default([]).describe('BGP peers (appliances).'),
  })
  .describe('Azure Route Server in RouteServerSubnet.');

export const Vnet = z
  .strictObject({
    name: Name,
    location: AzureRegion.optional().describe('Region of the VNet (default: azure.location).'),
    addressSpace: z.array(Cidr).min(1).describe('Address prefixes of the VNet (IPv4, optionally IPv6).'),
    subnets: z.array(Subnet).default([]).describe('Subnets of the VNet.'),
    vpnGateway: VpnGateway.optional(),
    expressRouteGateway: ExpressRouteGateway.optional(),
    routeServer: RouteServer.optional(),
  })
  .describe('An Azure virtual network.');

export const Peering = z
  .strictObject({
    name: Name,
    vnets: z.tuple([Name, Name]).describe('The two VNets to peer (both directions are created).'),
    allowForwardedTraffic: z.boolean().default(true).describe('Accept traffic not originating in the peer VNet (needed behind a firewall or gateway).'),
    gatewayTransitFrom: Name.optional().describe('The VNet (one of the two) whose gateways and Route Server the other VNet uses.'),
  })
  .describe('VNet peering between two VNets.');

export const NextHop = z
  .union([
    z.enum(['Internet', 'VirtualNetworkGateway', 'VnetLocal', 'None']),
    z.strictObject({ virtualAppliance: Name.describe('Name of the firewall (azure.firewalls) whose private IP is the next hop.') }),
  ])
  .describe('Next hop: Internet, VirtualNetworkGateway, VnetLocal, None, or {virtualAppliance: <firewall>}.');

export const Route = z
  .strictObject({
    name: Name,
    prefix: Cidr.describe('Destination prefix.'),
    nextHop: NextHop,
  })
  .describe('A user-defined route.');

export const RouteTable = z
  .strictObject({
    name: Name,
    propagateGatewayRoutes: z.boolean().default(true).describe('Whether gateway (VPN/ExpressRoute/BGP) routes reach the associated subnets; must stay true on GatewaySubnet.'),
    routes: z.array(Route).default([]).describe('User-defined routes.'),
  })
  .describe('A route table; subnets refer to it by name.');

export const SubnetRef = z
  .strictObject({
    vnet: Name.describe('VNet name.'),
    subnet: Name.describe('Subnet name within that VNet.'),
  })
  .describe('A subnet, by VNet and subnet name.');

export const AddressGroup = z
  .strictObject({
    name: Name,
    prefixes: z.array(Cidr).default([]).describe('Literal prefixes in the group.'),
    objects: z.array(Name).default([]).describe('Named objects whose addresses join the group: a VNet (its address space), a VPN gateway (its point-to-site pool) or a site (its LAN).'),
  })
  .describe('A firewall network object built from prefixes and named objects.');

export const FirewallRule = z
  .strictObject({
    name: Name,
    comment: z.string().max(200).optional().describe('Free text shown in the firewall.'),
    source: z.array(z.string().min(1).max(100)).min(1).describe('Address group names, built-in objects (Any, Trusted LAN, Internet) or prefixes.'),
    destination: z.array(z.string().min(1).max(100)).min(1).describe('Address group names, built-in objects or prefixes.'),
    services: z.array(z.string().min(1).max(100)).min(1).default(['Any']).describe('Service objects (Any, HTTP, HTTPS, DNS, ...).'),
    action: z.enum(['pass', 'block', 'deny']).default('pass').describe('What the rule does with matching traffic.'),
    connection: z
      .enum(['dynamic-nat', 'original-source-ip'])
      .optional()
      .describe('Source address of passed traffic: dynamic-nat (the firewall\'s own address, "Dynamic SNAT") or original-source-ip. Default: dynamic-nat toward public destinations (Azure translates only the firewall NIC\'s own address), original-source-ip otherwise.'),
  })
  .describe('A forwarding firewall rule, applied in list order.');

export const Firewall = z
  .strictObject({
    name: Name,
    vendor: z.literal('barracuda-cloudgen').describe('Appliance type.'),
    vnet: Name.describe('VNet of the appliance NIC.'),
    subnet: Name.describe('Subnet of the appliance NIC (not one of the subnets whose traffic it inspects).'),
    privateIp: Ipv4Address.describe('Static private IP of the appliance NIC; route tables point here.'),
    vmSize: matching(/^Standard_[A-Za-z0-9_]+$/, 'a VM size looks like Standard_D2ds_v5', 'invalid-value').default('Standard_D2ds_v5').describe('Azure VM size.'),
    imageSku: z.enum(['cgf-hourly', 'byol']).default('cgf-hourly').describe('Marketplace plan: cgf-hourly (pay as you go, as the seed walkthroughs deploy) or byol (bring your own licence; boots unlicensed until one is installed).'),
    publicIp: z.boolean().default(false).describe('Give the firewall NIC a Standard static public IP, its path to the Internet (or give its subnet a natGateway).'),
    imageVersion: matching(/^(latest|\d+\.\d+\.\d+)$/, 'does not have the expected form').default('latest').describe('Marketplace image version.'),
    adminPassword: SecretRef.describe('Password of the appliance\'s root account.'),
    addressGroups: z.array(AddressGroup).default([]).describe('Network objects the rules refer to.'),
    rules: z.array(FirewallRule).default([]).describe('Forwarding rules, in order.'),
    networkSecurityGroup: Name.optional().describe('Network security group on the appliance\'s NIC (azure.networkSecurityGroups); Barracuda\'s own templates attach one.'),
  })
  .describe('A network virtual appliance: Barracuda CloudGen Firewall VM with IP forwarding.');

const PORT_RANGE = /^(\*|\d{1,5}(-\d{1,5})?)$/;
const PortRange = matching(PORT_RANGE, 'a port range is a port (443), a range (1024-65535) or * (any)', 'invalid-value')
  .refine((t) => !PORT_RANGE.test(t) || t === '*' || t.split('-').every((p) => Number(p) <= 65535), { error: 'ports are 0-65535', params: { code: 'out-of-range' } })
  .refine((t) => !PORT_RANGE.test(t) || !t.includes('-') || Number(t.split('-')[0]) <= Number(t.split('-')[1]), { error: 'a port range runs from the lower port to the higher', params: { code: 'invalid-value' } })
  .describe('A port (443), a range (1024-65535) or * (any).');

const SecurityRuleEndpoint = z
  .string()
  .min(1)
  .max(200)
  .describe('A prefix or address, a service tag (VirtualNetwork, Internet, AzureLoadBalancer, * for any), or a name from the topology: a subnet (vnet/subnet), VNet, site, test endpoint or firewall address group.');

export const SecurityRule = z
  .strictObject({
    name: Name,
    description: z.string().max(140).optional().describe('Free text (Azure allows 140 characters).'),
    priority: wholeNumber(NSG_PRIORITY.min, NSG_PRIORITY.max, `a priority is a whole number from ${NSG_PRIORITY.min} to ${NSG_PRIORITY.max}`).describe('100-4096; lower numbers are evaluated first, the first rule that matches decides. Unique per direction within the group.'),
    direction: z.enum(['Inbound', 'Outbound']).describe('Traffic entering (Inbound) or leaving (Outbound) the subnet or NIC.'),
    access: z.enum(['Allow', 'Deny']).describe('What the rule does with matching traffic.'),
    protocol: z.enum(['Tcp', 'Udp', 'Icmp', '*']).default('*').describe('Protocol: Tcp, Udp, Icmp or * (any).'),
    source: z.array(SecurityRuleEndpoint).min(1).describe('Where the traffic comes from.'),
    sourcePorts: z.array(PortRange).min(1).default(['*']).describe('Source ports (default * ; clients use ephemeral ports).'),
    destination: z.array(SecurityRuleEndpoint).min(1).describe('Where the traffic goes.'),
    destinationPorts: z.array(PortRange).min(1).default(['*']).describe('Destination ports.'),
  })
  .describe('A security rule. Azure\'s default rules (AllowVnetInBound 65000, AllowAzureLoadBalancerInBound 65001, DenyAllInBound 65500 and their outbound peers) lie beneath every group\'s rules.');

export const NetworkSecurityGroup = z
  .strictObject({
    name: Name,
    rules: z.array(SecurityRule).default([]).describe('Security rules; Azure adds its default rules beneath them.'),
  })
  .describe('A network security group: stateful allow and deny rules on a subnet or a NIC (inbound, the subnet\'s then the NIC\'s; outbound, the NIC\'s then the subnet\'s).');

export const AppService = z
  .strictObject({
    name: Name.describe('Web app name (becomes <name>.azurewebsites.net).'),
    plan: z.strictObject({ name: Name, sku: z.enum(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3']).describe('App Service plan SKU.') }).describe('The App Service plan.'),
    integration: z
      .discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('regional').describe('Regional VNet integration through a delegated subnet.'),
          vnet: Name,
          subnet: Name.describe('Integration subnet, delegated to Microsoft.Web/serverFarms.'),
          routeAll: z.boolean().default(true).describe('Send all outbound traffic into the VNet (vnetRouteAllEnabled).'),
        }),
        z.strictObject({
          type: z.literal('gateway-required').describe('Gateway-required integration through the VPN gateway\'s point-to-site pool (SSTP).'),
          vnet: Name.describe('VNet whose VPN gateway the app connects to.'),
          routedPrefixes: z.array(Cidr).default([]).describe('Extra ranges the app reaches through the gateway beyond the VNet (for example on-premises LANs).'),
        }),
      ])
      .describe('How the app reaches the VNet.'),
  })
  .describe('An App Service web app with VNet integration.');

export const Azure = z
  .strictObject({
    cloud: z.enum(AZURE_CLOUDS).default('AzureCloud').describe('The Azure cloud: AzureCloud (global), AzureUSGovernment or AzureChinaCloud (operated by 21Vianet). The runbooks name its hosts; deploy, verify and import talk to its Resource Manager.'),
    location: AzureRegion.describe('Default region for every Azure resource.'),
    uniqueSuffix: matching(/^[a-z0-9]{1,8}$/, 'is 1-8 lowercase letters or digits', 'invalid-name')
      .optional()
      .describe('Appended (after a hyphen) to the names Azure requires to be unique worldwide: App Service apps (<app>.azurewebsites.net) and Key Vaults (<vault>.vault.azure.net), everywhere they are named. Set it when another subscription already holds a name.'),
    resourceGroups: ResourceGroups,
    vnets: z.array(Vnet).min(1).describe('Virtual networks, including VNets that simulate on-premises sites.'),
    peerings: z.array(Peering).default([]).describe('VNet peerings.'),
    routeTables: z.array(RouteTable).default([]).describe('Route tables with user-defined routes.'),
    firewalls: z.array(Firewall).default([]).describe('Network virtual appliances.'),
    appServices: z.array(AppService).default([]).describe('App Service web apps integrated with a VNet.'),
    networkSecurityGroups: z.array(NetworkSecurityGroup).default([]).describe('Network security groups; subnets, test VMs and firewalls name theirs.'),
  })
  .describe('Everything deployed in Azure.');

export type Vnet = z.infer<typeof Vnet>;
export type Subnet = z.infer<typeof Subnet>;
export type VpnGateway = z.infer<typeof VpnGateway>;
export type ExpressRouteGateway = z.infer<typeof ExpressRouteGateway>;
export type RouteServer = z.infer<typeof RouteServer>;
export type RouteTable = z.infer<typeof RouteTable>;
export type Route = z.infer<typeof Route>;
export type Firewall = z.infer<typeof Firewall>;
export type FirewallRule = z.infer<typeof FirewallRule>;
export type AppService = z.infer<typeof AppService>;
export type Peering = z.infer<typeof Peering>;
export type Azure = z.infer<typeof Azure>;
export type NetworkSecurityGroup = z.infer<typeof NetworkSecurityGroup>;
export type SecurityRule = z.infer<typeof SecurityRule>;
export type ResourceGroups = z.infer<typeof ResourceGroups>;
