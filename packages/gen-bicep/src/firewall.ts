/**
 * The Barracuda CloudGen Firewall VM: the Marketplace image with its plan block, a NIC with IP
 * forwarding at the firewall's address (and a Standard static public IP when the topology gives
 * one, its way to the Internet), and custom data that bootstraps the box as Barracuda's own Azure
 * templates do (barracudanetworks/ngf-azure-templates, e.g. CGF-Custom-HA-1NIC-AS-ELB-ILB-STD/
 * azuredeploy.json: `/opb/cloud-setmip <address> <prefix length> <subnet gateway>` sets the
 * management IP, `/opb/cloud-enable-rest` turns on the REST API that apply.sh talks to). The
 * password never goes into custom data: the VM's admin password sets the root account.
 * Marketplace identifiers (publisher barracudanetworks, offer barracuda-ng-firewall, plans
 * cgf-hourly and byol): the same templates' imageSKU parameter.
 */
import { adminPasswordParameter, formatAddress, pascalName, parsePrefix, resourceGroup, type Firewall } from '@hybridnet/model';
import { COMPUTE_API, NETWORK_API } from '@hybridnet/model';
import { param, resourceId } from './ir.ts';
import { symbolFor } from './names.ts';
import { publicIp, type Build } from './build.ts';
import type { RoleResources } from './roles.ts';
import { nicProperties } from './vm.ts';

/** The bootstrap script run at first boot (cloud-init custom data), before base64. */
export function firewallBootstrap(b: Build, fw: Firewall): string {
  const subnet = b.index.subnets.get(fw.vnet)?.get(fw.subnet)?.value;
  const parsed = subnet ? parsePrefix(subnet.prefix) : undefined;
  if (!parsed?.ok) return '';
  const gateway = formatAddress(parsed.value.first + 1n, parsed.value.version); // Azure's default gateway: the subnet's first address
  return `#!/bin/bash\n\n/opb/cloud-setmip ${fw.privateIp} ${parsed.value.length} ${gateway}\n/opb/cloud-enable-rest\n`;
}

export function firewallResources(b: Build): RoleResources {
  const role: RoleResources = { role: 'firewall', resources: [], parameters: [], outputs: [], after: [] };
  const network = resourceGroup(b.topology, 'network');
  for (const fw of b.topology.azure.firewalls) {
    const nic = `${fw.name}-nic`;
    const password = b.secure(adminPasswordParameter(fw.name), fw.adminPassword, `Root password of firewall ${fw.name}.`);
    // A parameter rather than a literal (the Bicep linter's adminusername-should-not-be-literal).
    const username = b.plain(`${pascalName(fw.name)}AdminUsername`, 'azureuser', `Admin user name of firewall ${fw.name} (the appliance's own root account uses the password).`);
    role.parameters.push(password, username);
    role.after.push(symbolFor('vnet', fw.vnet));
    if (fw.networkSecurityGroup) role.after.push(symbolFor('nsg', fw.networkSecurityGroup));
    const ip = fw.publicIp ? publicIp(`${fw.name}-pip`, false) : undefined;
    if (ip) role.resources.push(ip);
    role.resources.push(
      {
        symbol: symbolFor('nic', nic),
        type: 'Microsoft.Network/networkInterfaces',
        apiVersion: NETWORK_API,
        name: nic,
        location: true,
        properties: nicProperties(network, fw.vnet, fw.subnet, fw.privateIp, { forwarding: true, ...(ip ? { publicIp: resourceId('Microsoft.Network/publicIPAddresses', ip.name) } : {}), ...(fw.networkSecurityGroup ? { nsg: fw.networkSecurityGroup } : {}) }),
        dependsOn: ip ? [ip.symbol] : [],
      },
      {
        symbol: symbolFor('vm', fw.name),
        type: 'Microsoft.Compute/virtualMachines',
        apiVersion: COMPUTE_API,
        name: fw.name,
        location: true,
        // Marketplace image: the plan block must name it; its terms are accepted once per
        // subscription (hybridnet deploy does it, DEPLOY.md gives the az command).
        plan: { name: fw.imageSku, product: 'barracuda-ng-firewall', publisher: 'barracudanetworks' },
        properties: {
          hardwareProfile: { vmSize: fw.vmSize },
          storageProfile: { imageReference: { publisher: 'barracudanetworks', offer: 'barracuda-ng-firewall', sku: fw.imageSku, version: fw.imageVersion }, osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Standard_LRS' } } },
          osProfile: { computerName: fw.name.slice(0, 64), adminUsername: param(username.name), adminPassword: param(password.name), customData: Buffer.from(firewallBootstrap(b, fw)).toString('base64') },
          networkProfile: { networkInterfaces: [{ id: resourceId('Microsoft.Network/networkInterfaces', nic), properties: { primary: true } }] },
        },
        dependsOn: [symbolFor('nic', nic)],
      },
    );
  }
  return role;
}
