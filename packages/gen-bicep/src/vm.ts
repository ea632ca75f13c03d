/** The pieces VMs share: a NIC at a fixed or dynamic address in a network subnet, with its security group. */
import { resourceIdIn, type ArmValue } from './ir.ts';

export function nicProperties(group: string, vnet: string, subnet: string, address: string | undefined, options: { forwarding?: boolean; publicIp?: ArmValue; nsg?: string } = {}) {
  return {
    ...(options.forwarding ? { enableIPForwarding: true } : {}),
    // The group lives with the network (its resource group), like the subnet.
    ...(options.nsg ? { networkSecurityGroup: { id: resourceIdIn(group, 'Microsoft.Network/networkSecurityGroups', options.nsg) } } : {}),
    ipConfigurations: [
      {
        name: 'ipconfig1',
        properties: {
          privateIPAllocationMethod: address ? 'Static' : 'Dynamic',
          ...(address ? { privateIPAddress: address } : {}),
          subnet: { id: resourceIdIn(group, 'Microsoft.Network/virtualNetworks/subnets', vnet, subnet) },
          ...(options.publicIp ? { publicIPAddress: { id: options.publicIp } } : {}),
        },
      },
    ],
  };
}
