/**
 * Regions: a VNet may name its own (`location`, default azure.location), and what lives with it
 * must be in that region too: its gateways, Route Server and their public IPs, the connections of
 * its gateways and their local network gateways, the NAT gateways, route tables and security
 * groups of its subnets, and the NICs, VMs and apps attached to it (Azure requires each in the
 * VNet's region and subscription: learn.microsoft.com/azure/virtual-network/manage-route-table,
 * "Associate a route table to a subnet"; manage-network-security-group; nat-gateway-resource;
 * vpn-gateway-about-vpn-gateway-settings). One pass over the finished resources, by what each
 * refers to, rather than a region argument threaded through every family: a resource in the
 * default region keeps the template's `location` parameter.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import { expressionsIn, type ArmResource, type ArmValue } from './ir.ts';

/** The VNet's region when it differs from the topology's, else undefined. */
function vnetRegion(topology: Topology, vnet: string | undefined): string | undefined {
  const location = topology.azure.vnets.find((v) => v.name === vnet)?.location;
  return location && location !== topology.azure.location ? location : undefined;
}

/** The names a resourceId() of this type refers to, wherever it appears in a value. */
const referenced = (value: ArmValue | undefined, type: string): string[] => expressionsIn([value]).flatMap((e) => (e.$ === 'resourceId' && e.type === type && typeof e.names[0] === 'string' ? [e.names[0]] : []));

/** Each resource with the region of the VNet it belongs to (every resource of the deployment, modules' included, in one list). */
export function regionOf(topology: Topology, index: TopologyIndex, all: readonly ArmResource[]): (r: ArmResource) => string | undefined {
  const gatewayVnet = (name: string) => index.vpnGateways.get(name)?.vnet.name ?? index.expressRouteGateways.get(name)?.vnet.name;
  const byVnetSubnets = (kind: 'routeTable' | 'natGateway' | 'networkSecurityGroup', name: string) => topology.azure.vnets.filter((v) => v.subnets.some((s) => s[kind] === name)).map((v) => v.name);
  const nics = new Map(all.filter((r) => r.type === 'Microsoft.Network/networkInterfaces').map((r) => [r.name, referenced(r.properties, 'Microsoft.Network/virtualNetworks/subnets')[0]]));
  const owner = (r: ArmResource): string | undefined => {
    switch (r.type) {
      case 'Microsoft.Network/virtualNetworks':
        return r.name;
      case 'Microsoft.Network/virtualNetworkGateways':
        return gatewayVnet(r.name);
      case 'Microsoft.Network/virtualHubs':
        return topology.azure.vnets.find((v) => v.routeServer?.name === r.name)?.name;
      case 'Microsoft.Network/connections':
        return gatewayVnet(referenced(r.properties.virtualNetworkGateway1, 'Microsoft.Network/virtualNetworkGateways')[0] ?? '');
      case 'Microsoft.Network/localNetworkGateways': {
        const connection = all.find((c) => c.type === 'Microsoft.Network/connections' && referenced(c.properties.localNetworkGateway2, 'Microsoft.Network/localNetworkGateways')[0] === r.name);
        return connection ? owner(connection) : undefined;
      }
      case 'Microsoft.Network/natGateways':
        return byVnetSubnets('natGateway', r.name)[0];
      case 'Microsoft.Network/routeTables':
        return byVnetSubnets('routeTable', r.name)[0];
      case 'Microsoft.Network/networkSecurityGroups': {
        const subnets = byVnetSubnets('networkSecurityGroup', r.name);
        if (subnets.length > 0) return subnets[0];
        const nic = all.find((n) => n.type === 'Microsoft.Network/networkInterfaces' && referenced(n.properties, 'Microsoft.Network/networkSecurityGroups').includes(r.name));
        return nic ? nics.get(nic.name) : undefined;
      }
      case 'Microsoft.Network/publicIPAddresses': {
        const user = all.find((u) => u !== r && u.type !== 'Microsoft.Network/publicIPAddresses' && referenced(u.properties, 'Microsoft.Network/publicIPAddresses').includes(r.name));
        return user ? owner(user) : undefined;
      }
      case 'Microsoft.Network/networkInterfaces':
        return nics.get(r.name);
      case 'Microsoft.Compute/virtualMachines':
        return nics.get(referenced(r.properties, 'Microsoft.Network/networkInterfaces')[0] ?? '');
      case 'Microsoft.Web/sites':
      case 'Microsoft.Web/serverfarms': {
        const apps = topology.azure.appServices.filter((a) => (r.type === 'Microsoft.Web/sites' ? a.name === r.name : a.plan.name === r.name));
        return apps[0]?.integration.vnet;
      }
      default:
        // A child with a subnet (Route Server's IP configuration): that subnet's VNet.
        return referenced(r.properties, 'Microsoft.Network/virtualNetworks/subnets')[0];
    }
  };
  return (r) => (r.location === false ? undefined : vnetRegion(topology, owner(r)));
}
