/** The small test VMs attached to VNets (endpoints at sites come with the site, for example its CloudFormation stack). */
import { adminPasswordParameter, pascalName, resourceGroup } from '@hybridnet/model';
import { COMPUTE_API, NETWORK_API } from '@hybridnet/model';
import { param, resourceId } from './ir.ts';
import { symbolFor } from './names.ts';
import type { Build } from './build.ts';
import type { RoleResources } from './roles.ts';
import { nicProperties } from './vm.ts';

const linuxImage = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' };
const windowsImage = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' };

export function testVmResources(b: Build): RoleResources {
  const role: RoleResources = { role: 'test', resources: [], parameters: [], outputs: [], after: [] };
  const network = resourceGroup(b.topology, 'network');
  for (const t of b.topology.testEndpoints) {
    if (!('vnet' in t.attach)) continue;
    const nic = `${t.name}-nic`;
    const password = b.secure(adminPasswordParameter(t.name), t.adminPassword, `Admin password of test VM ${t.name}.`);
    const username = b.plain(`${pascalName(t.name)}AdminUsername`, t.adminUsername, `Admin user name of test VM ${t.name}.`);
    role.parameters.push(password, username);
    role.after.push(symbolFor('vnet', t.attach.vnet));
    if (t.networkSecurityGroup) role.after.push(symbolFor('nsg', t.networkSecurityGroup));
    const windows = t.os === 'windows';
    role.resources.push(
      { symbol: symbolFor('nic', nic), type: 'Microsoft.Network/networkInterfaces', apiVersion: NETWORK_API, name: nic, location: true, properties: nicProperties(network, t.attach.vnet, t.attach.subnet, t.privateIp, t.networkSecurityGroup ? { nsg: t.networkSecurityGroup } : {}), dependsOn: [] },
      {
        symbol: symbolFor('vm', t.name),
        type: 'Microsoft.Compute/virtualMachines',
        apiVersion: COMPUTE_API,
        name: t.name,
        location: true,
        properties: {
          hardwareProfile: { vmSize: t.size ?? (windows ? 'Standard_B2s' : 'Standard_B1s') },
          storageProfile: { imageReference: windows ? windowsImage : linuxImage, osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Standard_LRS' } } },
          // Windows computer names stop at 15 characters.
          osProfile: { computerName: (windows ? t.name.replace(/[._]/g, '-').slice(0, 15) : t.name).replace(/-+$/, ''), adminUsername: param(username.name), adminPassword: param(password.name) },
          networkProfile: { networkInterfaces: [{ id: resourceId('Microsoft.Network/networkInterfaces', nic), properties: { primary: true } }] },
        },
        dependsOn: [symbolFor('nic', nic)],
      },
    );
  }
  return role;
}
