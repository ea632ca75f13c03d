/**
 * On-premises sites and the connections that join them to Azure.
 *
 *   sites:
 *     - name: branch-aws
 *       lan: [10.20.0.0/16]
 *       device: { type: rras, publicIp: after-deploy, privateIp: 10.20.1.10 }
 *       hosting: { type: aws, region: eu-west-1, vpcCidr: 10.20.0.0/16, subnetCidr: 10.20.1.0/24,
 *                  instanceType: t3.medium, adminCidr: 198.51.100.7/32 }
 *   connections:
 *     - { name: hub-to-branch, type: site-to-site, gateway: vgw-hub, site: branch-aws,
 *         sharedKey: { env: HUB_BRANCH_PSK } }
 */
import { z } from 'zod';
import { matching, wholeNumber, Asn, AwsRegion, Cidr, Ipv4Address, Ipv4Cidr, Name, PublicIp, SecretRef } from './primitives.ts';
import { SubnetRef } from './azure.ts';

export const SiteBgp = z
  .strictObject({
    asn: Asn.describe('ASN of the site\'s router; must differ from the Azure gateway\'s.'),
    peerIp: Ipv4Address.describe('BGP address of the site\'s router (often its LAN address, or an APIPA address); never its public IP.'),
    advertise: z.array(Cidr).min(1).describe('Prefixes the router originates toward Azure: the site\'s real LAN ranges, not only its own host address.'),
  })
  .describe('BGP on the site\'s device. Absent: static routing.');

export const Device = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('rras').describe('Windows Server running Routing and Remote Access.'),
        publicIp: PublicIp,
        privateIp: Ipv4Address.describe('LAN address of the server (the next hop for Azure-bound traffic on the site).'),
        windowsVersion: z.enum(['2019', '2022', '2025']).default('2022').describe('Windows Server version.'),
      })
      .describe('A Windows Server RRAS VPN device.'),
    z
      .strictObject({
        type: z.literal('azure-vpn-gateway').describe('The VPN gateway of a VNet that plays the on-premises site.'),
        gateway: Name.describe('Name of that VNet\'s VPN gateway.'),
      })
      .describe('An Azure VPN gateway standing in for an on-premises device.'),
    z
      .strictObject({
        type: z.literal('aws-vpn-gateway').describe('AWS virtual private gateway with a site-to-site VPN connection (AWS-native, no RRAS).'),
      })
      .describe('An AWS virtual private gateway.'),
    z
      .strictObject({
        type: z.literal('barracuda').describe('A Barracuda CloudGen Firewall as the site\'s VPN endpoint.'),
        publicIp: PublicIp,
      })
      .describe('A Barracuda CloudGen Firewall VPN endpoint.'),
    z
      .strictObject({
        type: z.literal('other').describe('Any other router, or a site reached only over ExpressRoute.'),
        publicIp: PublicIp.optional(),
      })
      .describe('A device hybridnet does not configure.'),
  ])
  .describe('The site\'s VPN device.');

export const Hosting = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('physical').describe('A real site.') }).describe('A real on-premises site.'),
    z
      .strictObject({
        type: z.literal('aws').describe('Simulated in an AWS VPC on EC2.'),
        region: AwsRegion,
        vpcCidr: Ipv4Cidr.describe('VPC CIDR (/16 to /28).'),
        subnetCidr: Ipv4Cidr.describe('Subnet of the VPN instance, inside the VPC.'),
        instanceType: matching(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an instance type looks like t3.medium', 'invalid-value').default('t3.medium').describe('EC2 instance type.'),
        adminCidr: Ipv4Cidr.describe('The only range allowed to RDP to the instance (never 0.0.0.0/0).'),
      })
      .describe('A site simulated in AWS.'),
    z
      .strictObject({
        type: z.literal('azure').describe('Simulated in another Azure VNet with its own VPN gateway.'),
        vnet: Name.describe('The VNet (azure.vnets) that plays the site.'),
      })
      .describe('A site simulated in Azure.'),
  ])
  .describe('Where the site lives.');

export const Site = z
  .strictObject({
    name: Name,
    description: z.string().max(500).optional().describe('Free text.'),
    lan: z.array(Cidr).min(1).describe('The site\'s own address ranges.'),
    device: Device,
    bgp: SiteBgp.optional(),
    hosting: Hosting.default({ type: 'physical' }),
  })
  .describe('An on-premises site (branch, data centre, or a simulation of one).');

export const IpsecPolicy = z
  .strictObject({
    ikeEncryption: z.enum(['DES', 'DES3', 'AES128', 'AES192', 'AES256', 'GCMAES128', 'GCMAES256']).describe('IKE phase 1 encryption.'),
    ikeIntegrity: z.enum(['MD5', 'SHA1', 'SHA256', 'SHA384', 'GCMAES128', 'GCMAES256']).describe('IKE phase 1 integrity.'),
    dhGroup: z.enum(['None', 'DHGroup1', 'DHGroup2', 'DHGroup14', 'DHGroup2048', 'ECP256', 'ECP384', 'DHGroup24']).describe('IKE phase 1 Diffie-Hellman group.'),
    ipsecEncryption: z.enum(['None', 'DES', 'DES3', 'AES128', 'AES192', 'AES256', 'GCMAES128', 'GCMAES192', 'GCMAES256']).describe('IPsec phase 2 encryption.'),
    ipsecIntegrity: z.enum(['MD5', 'SHA1', 'SHA256', 'GCMAES128', 'GCMAES192', 'GCMAES256']).describe('IPsec phase 2 integrity.'),
    pfsGroup: z.enum(['None', 'PFS1', 'PFS2', 'PFS2048', 'ECP256', 'ECP384', 'PFS24', 'PFS14', 'PFSMM']).describe('Perfect forward secrecy group.'),
    saLifeTimeSeconds: wholeNumber(300, 172799, 'the SA lifetime is 300 to 172799 seconds').default(27000).describe('Phase 2 SA lifetime in seconds.'),
    saDataSizeKilobytes: wholeNumber(1024, 2147483647, 'the SA data size is 1024 to 2147483647 kilobytes').default(102400000).describe('Phase 2 SA data size in kilobytes.'),
  })
  .describe('Custom IPsec/IKE policy; the same object drives both ends of the tunnel.');

export const Tunnel = z
  .strictObject({
    instance: z.union([z.literal(0), z.literal(1)]).describe('Azure gateway instance the tunnel terminates on (0, or 1 on an active-active gateway).'),
    weight: wholeNumber(0, 65535, 'a BGP weight is 0 to 65535').optional().describe('BGP weight the site gives routes learned over this tunnel; higher is preferred (the primary).'),
    apipa: Ipv4Address.optional().describe('Custom APIPA BGP address of that instance this tunnel uses.'),
  })
  .describe('One IPsec tunnel of a connection.');

export const SiteToSiteConnection = z
  .strictObject({
    name: Name,
    type: z.literal('site-to-site').describe('IPsec tunnel(s) between a VPN gateway and a site.'),
    gateway: Name.describe('Azure VPN gateway.'),
    site: Name.describe('On-premises site.'),
    sharedKey: SecretRef.describe('Pre-shared key of the tunnel(s).'),
    ikeVersion: z.enum(['IKEv1', 'IKEv2']).default('IKEv2').describe('IKE version.'),
    ipsecPolicy: IpsecPolicy.optional(),
    bgp: z.boolean().default(false).describe('Run BGP over the tunnel(s); needs bgp on both the gateway and the site.'),
    tunnels: z.array(Tunnel).min(1).max(2).optional().describe('Tunnels built (default: one per gateway instance).'),
    siteAddressSpace: z.array(Cidr).optional().describe('Prefixes Azure\'s local network gateway holds for the site (default: the site LAN with static routing, none with BGP).'),
    azureAddressSpace: z.array(Cidr).optional().describe('Prefixes the site sends into the tunnel toward Azure (default: the VNets behind the gateway and its point-to-site pool).'),
  })
  .describe('IPsec site-to-site connection between an Azure VPN gateway and a site.');

export const VnetToVnetConnection = z
  .strictObject({
    name: Name,
    type: z.literal('vnet-to-vnet').describe('IPsec connection between two VPN gateways.'),
    gateways: z.tuple([Name, Name]).describe('The two VPN gateways.'),
    sharedKey: SecretRef.describe('Pre-shared key of the connection.'),
    ipsecPolicy: IpsecPolicy.optional(),
    bgp: z.boolean().default(false).describe('Run BGP over the connection (needed for transit).'),
  })
  .describe('VNet-to-VNet connection between two VPN gateways.');

export const ExpressRouteConnection = z
  .strictObject({
    name: Name,
    type: z.literal('expressroute').describe('ExpressRoute circuit connection.'),
    gateway: Name.describe('ExpressRoute gateway.'),
    site: Name.describe('The site behind the circuit.'),
    circuitId: matching(/^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Network\/expressRouteCircuits\/[-\w.]+$/, 'circuitId is the resource id of an expressRouteCircuits resource', 'invalid-value')
      .describe('Resource id of the ExpressRoute circuit.'),
    authorizationKey: SecretRef.optional().describe('Authorization key when the circuit is in another subscription.'),
    routingWeight: wholeNumber(0, 32000, 'a routing weight is 0 to 32000').default(0).describe('Routing weight of the connection.'),
  })
  .describe('Connection of an ExpressRoute gateway to a circuit.');

export const Connection = z
  .discriminatedUnion('type', [SiteToSiteConnection, VnetToVnetConnection, ExpressRouteConnection])
  .describe('A connection: site-to-site, vnet-to-vnet or expressroute.');

export const TestEndpoint = z
  .strictObject({
    name: Name,
    attach: z
      .union([SubnetRef, z.strictObject({ site: Name.describe('Site whose LAN (AWS subnet when simulated in AWS) holds the endpoint.') })])
      .describe('Where the endpoint sits: {vnet, subnet} in Azure or {site}.'),
    privateIp: Ipv4Address.optional().describe('Static private IP (default: dynamic).'),
    os: z.enum(['linux', 'windows']).default('linux').describe('Operating system.'),
    size: matching(/^[A-Za-z][A-Za-z0-9_.-]+$/, 'does not have the expected form').optional().describe('VM size or instance type (default: smallest sensible).'),
    adminUsername: matching(/^[a-z_][a-z0-9_-]{0,19}$/, 'an admin user name is 1-20 lowercase letters, digits, "_" or "-"', 'invalid-name').default('netadmin').describe('Admin user name.'),
    adminPassword: SecretRef.describe('Admin password.'),
    networkSecurityGroup: Name.optional().describe('Network security group on the VM\'s NIC (azure.networkSecurityGroups); Azure VMs only.'),
  })
  .describe('A small VM used to prove connectivity.');

export type Site = z.infer<typeof Site>;
export type Device = z.infer<typeof Device>;
export type Hosting = z.infer<typeof Hosting>;
export type IpsecPolicy = z.infer<typeof IpsecPolicy>;
export type Tunnel = z.infer<typeof Tunnel>;
export type Connection = z.infer<typeof Connection>;
export type SiteToSiteConnection = z.infer<typeof SiteToSiteConnection>;
export type VnetToVnetConnection = z.infer<typeof VnetToVnetConnection>;
export type ExpressRouteConnection = z.infer<typeof ExpressRouteConnection>;
export type TestEndpoint = z.infer<typeof TestEndpoint>;
