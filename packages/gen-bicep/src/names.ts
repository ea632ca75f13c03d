/**
 * Names: Azure resource names derive from model names (never from list positions, so reordering
 * a topology renames nothing), and symbols are Bicep identifiers derived from them.
 */
import { pascalName } from '@hybridnet/model';

/** `vnet`, `hub-spoke` → `vnetHubSpoke`: a Bicep identifier. */
export function symbolFor(kind: string, name: string): string {
  return `${kind}${pascalName(name).replace(/[^A-Za-z0-9]/g, '')}`;
}

/** Azure's length limits for the names we emit (Microsoft.Network naming rules). */
export const NAME_LIMITS: Record<string, [number, number]> = {
  'Microsoft.Network/virtualNetworks': [2, 64],
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings': [1, 80],
  'Microsoft.Network/publicIPAddresses': [1, 80],
  'Microsoft.Network/virtualNetworkGateways': [1, 80],
  'Microsoft.Network/localNetworkGateways': [1, 80],
  'Microsoft.Network/connections': [1, 80],
  'Microsoft.Network/routeTables': [1, 80],
  'Microsoft.Network/networkSecurityGroups': [1, 80],
  'Microsoft.Network/virtualHubs': [1, 80],
  'Microsoft.Network/virtualHubs/ipConfigurations': [1, 80],
  'Microsoft.Network/virtualHubs/bgpConnections': [1, 80],
  'Microsoft.Network/networkInterfaces': [1, 80],
  'Microsoft.Compute/virtualMachines': [1, 64],
  'Microsoft.Web/serverfarms': [1, 60],
  'Microsoft.Web/sites': [2, 60],
  'Microsoft.Web/serverfarms/virtualNetworkConnections/routes': [1, 200],
};
