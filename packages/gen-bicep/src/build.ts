/**
 * What every resource family of the transform shares: the topology, parameter and output sinks,
 * diagnostics, and the small shapes several families build (public IPs, gateway references).
 */
import { deploymentEnvironmentVariable, resourceGroup, secretEnvironmentVariable, type Diagnostic, type SecretRef, type SiteToSiteConnection, type Topology, type TopologyIndex } from '@hybridnet/model';
import { NETWORK_API } from '@hybridnet/model';
import type { BicepCode } from './diagnostics.ts';
import { resourceId, type ArmOutput, type ArmParameter, type ArmResource, type ArmValue } from './ir.ts';
import { symbolFor } from './names.ts';

export const T = {
  vnet: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  peering: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
  pip: 'Microsoft.Network/publicIPAddresses',
  nat: 'Microsoft.Network/natGateways',
  gateway: 'Microsoft.Network/virtualNetworkGateways',
  gatewayIpConfig: 'Microsoft.Network/virtualNetworkGateways/ipConfigurations',
  lng: 'Microsoft.Network/localNetworkGateways',
  connection: 'Microsoft.Network/connections',
  routeTable: 'Microsoft.Network/routeTables',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  hub: 'Microsoft.Network/virtualHubs',
  hubIp: 'Microsoft.Network/virtualHubs/ipConfigurations',
  hubBgp: 'Microsoft.Network/virtualHubs/bgpConnections',
} as const;

/** A resource of the network's template and the model path it comes from (for diagnostics). */
export interface Placed {
  readonly resource: ArmResource;
  readonly path: Diagnostic['path'];
}

export interface Build {
  readonly topology: Topology;
  readonly index: TopologyIndex;
  report(code: BicepCode, severity: Diagnostic['severity'], path: Diagnostic['path'], message: string, hint: string): void;
  /** A secure parameter of the main template (declared once per name). */
  secure(name: string, ref: SecretRef, description: string): ArmParameter;
  /** A plain parameter with a default (declared once per name). */
  plain(name: string, value: string, description: string): ArmParameter;
  /** A plain parameter without a default: a value known only after another deployment. */
  input(name: string, description: string): ArmParameter;
  output(o: ArmOutput): void;
}

export function createBuild(topology: Topology, index: TopologyIndex, parameters: ArmParameter[], outputs: ArmOutput[], diagnostics: Diagnostic[]): Build {
  const declare = (p: ArmParameter): ArmParameter => {
    const existing = parameters.find((x) => x.name === p.name);
    if (existing) return existing;
    parameters.push(p);
    return p;
  };
  return {
    topology,
    index,
    report: (code, severity, path, message, hint) => diagnostics.push({ code, severity, path, message, hint }),
    // A Key Vault's resource group is settled here (default: the network group), so the
    // .bicepparam file's getSecret() and `hybridnet deploy`'s reference name the same vault.
    secure: (name, ref, description) =>
      declare({ name, type: 'string', secure: true, description, fromEnvironment: secretEnvironmentVariable(ref, name), secret: 'keyVault' in ref ? { keyVault: { ...ref.keyVault, resourceGroup: ref.keyVault.resourceGroup ?? resourceGroup(topology, 'network') } } : ref }),
    plain: (name, value, description) => declare({ name, type: 'string', secure: false, default: value, description }),
    input: (name, description) => declare({ name, type: 'string', secure: false, description, fromEnvironment: deploymentEnvironmentVariable(name) }),
    output: (o) => void outputs.push(o),
  };
}

/** A network resource with the defaults most have: this API version, the template's location, no dependencies. */
export function networkResource(r: Omit<ArmResource, 'apiVersion' | 'location' | 'dependsOn'> & Partial<Pick<ArmResource, 'location' | 'dependsOn'>>): ArmResource {
  return { apiVersion: NETWORK_API, location: true, dependsOn: [], ...r };
}

export const subnetId = (vnet: string, subnet: string) => resourceId(T.subnet, vnet, subnet);
export const pipName = (owner: string, n: number) => `${owner}-pip${n + 1}`;

/** A Standard static IPv4 public IP (zone-redundant when asked): what gateways, NAT gateways and appliances need. */
export function publicIp(name: string, zones: boolean): ArmResource {
  return networkResource({ symbol: symbolFor('pip', name), type: T.pip, name, sku: { name: 'Standard', tier: 'Regional' }, ...(zones ? { zones: ['1', '2', '3'] } : {}), properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4' } });
}

/**
 * A connection's reference to a gateway: the id, and the empty properties object that the type
 * data marks required (VirtualNetworkGateway / LocalNetworkGateway; the Bicep compiler's BCP035).
 */
export const gatewayRef = (id: ArmValue): ArmValue => ({ id, properties: {} });

export function ipsecPolicy(p: NonNullable<SiteToSiteConnection['ipsecPolicy']>): ArmValue {
  return { saLifeTimeSeconds: p.saLifeTimeSeconds, saDataSizeKilobytes: p.saDataSizeKilobytes, ipsecEncryption: p.ipsecEncryption, ipsecIntegrity: p.ipsecIntegrity, ikeEncryption: p.ikeEncryption, ikeIntegrity: p.ikeIntegrity, dhGroup: p.dhGroup, pfsGroup: p.pfsGroup };
}

/**
 * The Route Server IP configurations of these VNets: peerings and connections there are made after
 * them. Creating Route Server updates the VNet and its gateways, and a PUT on a peering or a
 * connection meanwhile fails ("Cannot proceed with operation because resource ... is not in
 * Succeeded state. Resource is in Updating state"), so they wait for it.
 */
export function afterRouteServer(b: Build, vnets: readonly string[]): string[] {
  return [...new Set(vnets)].flatMap((name) => {
    const rs = b.index.vnets.get(name)?.value.routeServer;
    return rs ? [symbolFor('rsIpconfig', rs.name)] : [];
  });
}
