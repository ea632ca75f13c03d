/**
 * The resources outside the network: the Barracuda CloudGen Firewall VM (marketplace image with
 * its plan block, a NIC with IP forwarding at the firewall's address), App Service plans and
 * apps with their VNet integration, and the small test VMs. Each role goes into its own resource
 * group (a module) unless that group is the network's. Marketplace identifiers:
 * ../shared/reference/generators.md §2.1; shapes: the official type data.
 */
import { adminPasswordParameter, formatAddress, pascalName, parsePrefix, resourceGroup, type ResourceRole, type SecretRef, type Topology, type TopologyIndex } from '@hybridnet/model';
import { COMPUTE_API, NETWORK_API, WEB_API } from './api-versions.ts';
import { param, resourceId, resourceIdIn, type ArmModule, type ArmParameter, type ArmResource } from './ir.ts';
import { symbolFor } from './names.ts';

export interface RoleResources {
  readonly role: Exclude<ResourceRole, 'network'>;
  readonly resources: ArmResource[];
  readonly parameters: ArmParameter[];
  /** Outer resources these must follow: the VNets whose subnets they use, a gateway they join. */
  readonly after: string[];
}

const linuxImage = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' };
const windowsImage = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' };
const nicProperties = (group: string, vnet: string, subnet: string, address: string | undefined, forwarding: boolean) => ({
  ...(forwarding ? { enableIPForwarding: true } : {}),
  ipConfigurations: [
    {
      name: 'ipconfig1',
      properties: {
        privateIPAllocationMethod: address ? 'Static' : 'Dynamic',
        ...(address ? { privateIPAddress: address } : {}),
        subnet: { id: resourceIdIn(group, 'Microsoft.Network/virtualNetworks/subnets', vnet, subnet) },
      },
    },
  ],
});

export interface ParameterSink {
  /** Declares a secure parameter in the main template (once per name) and returns it. */
  secure(name: string, ref: SecretRef, description: string): ArmParameter;
  /** Declares a plain parameter with a default in the main template (once per name) and returns it. */
  plain(name: string, value: string, description: string): ArmParameter;
}

export function roleResources(topology: Topology, index: TopologyIndex, declare: ParameterSink): RoleResources[] {
  const network = resourceGroup(topology, 'network');
  const roles: RoleResources[] = [];

  const firewall: RoleResources = { role: 'firewall', resources: [], parameters: [], after: [] };
  for (const fw of topology.azure.firewalls) {
    const nic = `${fw.name}-nic`;
    const password = declare.secure(adminPasswordParameter(fw.name), fw.adminPassword, `Root password of firewall ${fw.name}.`);
    // A parameter rather than a literal (the Bicep linter's adminusername-should-not-be-literal).
    const username = declare.plain(`${pascalName(fw.name)}AdminUsername`, 'azureuser', `Admin user name of firewall ${fw.name} (the appliance's own root account uses the password).`);
    firewall.parameters.push(password, username);
    firewall.after.push(symbolFor('vnet', fw.vnet));
    firewall.resources.push(
      { symbol: symbolFor('nic', nic), type: 'Microsoft.Network/networkInterfaces', apiVersion: NETWORK_API, name: nic, location: true, properties: nicProperties(network, fw.vnet, fw.subnet, fw.privateIp, true), dependsOn: [] },
      {
        symbol: symbolFor('vm', fw.name),
        type: 'Microsoft.Compute/virtualMachines',
        apiVersion: COMPUTE_API,
        name: fw.name,
        location: true,
        // Marketplace image: the plan block must name it (accept its terms once per subscription).
        plan: { name: fw.imageSku, product: 'barracuda-ng-firewall', publisher: 'barracudanetworks' },
        properties: {
          hardwareProfile: { vmSize: fw.vmSize },
          storageProfile: { imageReference: { publisher: 'barracudanetworks', offer: 'barracuda-ng-firewall', sku: fw.imageSku, version: fw.imageVersion }, osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Standard_LRS' } } },
          osProfile: { computerName: fw.name.slice(0, 64), adminUsername: param(username.name), adminPassword: param(password.name) },
          networkProfile: { networkInterfaces: [{ id: resourceId('Microsoft.Network/networkInterfaces', nic), properties: { primary: true } }] },
        },
        dependsOn: [symbolFor('nic', nic)],
      },
    );
  }
  if (firewall.resources.length > 0) roles.push(firewall);

  const app: RoleResources = { role: 'app', resources: [], parameters: [], after: [] };
  for (const a of topology.azure.appServices) {
    const plan = symbolFor('plan', a.plan.name);
    if (!app.resources.some((r) => r.symbol === plan)) {
      app.resources.push({ symbol: plan, type: 'Microsoft.Web/serverfarms', apiVersion: WEB_API, name: a.plan.name, location: true, kind: 'app', sku: { name: a.plan.sku }, properties: { reserved: false }, dependsOn: [] });
    }
    const integration = a.integration;
    app.after.push(symbolFor('vnet', integration.vnet));
    const site = symbolFor('site', a.name);
    app.resources.push({
      symbol: site,
      type: 'Microsoft.Web/sites',
      apiVersion: WEB_API,
      name: a.name,
      location: true,
      kind: 'app',
      properties: {
        serverFarmId: resourceId('Microsoft.Web/serverfarms', a.plan.name),
        httpsOnly: true,
        ...(integration.type === 'regional'
          ? { virtualNetworkSubnetId: resourceIdIn(network, 'Microsoft.Network/virtualNetworks/subnets', integration.vnet, integration.subnet), outboundVnetRouting: { allTraffic: integration.routeAll }, siteConfig: { vnetRouteAllEnabled: integration.routeAll } }
          : {}),
      },
      dependsOn: [plan],
    });
    if (integration.type === 'gateway-required') {
      // Gateway-required integration: the app joins the VNet's point-to-site pool through its gateway.
      const gateway = index.vnets.get(integration.vnet)?.value.vpnGateway;
      if (gateway) app.after.push(symbolFor('vgw', gateway.name));
      app.resources.push({
        symbol: symbolFor('vnetConnection', a.name),
        type: 'Microsoft.Web/sites/virtualNetworkConnections',
        apiVersion: WEB_API,
        name: integration.vnet,
        parent: site,
        location: false,
        properties: { vnetResourceId: resourceIdIn(network, 'Microsoft.Network/virtualNetworks', integration.vnet), isSwift: false },
        dependsOn: [site],
      });
      // Ranges beyond the VNet that the app reaches through the gateway, on the plan's VNet connection.
      for (const prefix of integration.routedPrefixes) {
        const range = parsePrefix(prefix);
        if (!range.ok) continue;
        const name = `${a.plan.name}/${integration.vnet}/${prefix.replace(/[./:]/g, '-')}`;
        app.resources.push({
          symbol: symbolFor('planRoute', `${a.plan.name}-${prefix}`),
          type: 'Microsoft.Web/serverfarms/virtualNetworkConnections/routes',
          apiVersion: WEB_API,
          name,
          location: false,
          properties: { startAddress: formatAddress(range.value.first, range.value.version), endAddress: formatAddress(range.value.last, range.value.version), routeType: 'STATIC' },
          dependsOn: [symbolFor('vnetConnection', a.name)],
        });
      }
    }
  }
  if (app.resources.length > 0) roles.push(app);

  const test: RoleResources = { role: 'test', resources: [], parameters: [], after: [] };
  for (const t of topology.testEndpoints) {
    if (!('vnet' in t.attach)) continue; // endpoints at sites come with the site (for example its CloudFormation stack)
    const nic = `${t.name}-nic`;
    const password = declare.secure(adminPasswordParameter(t.name), t.adminPassword, `Admin password of test VM ${t.name}.`);
    const username = declare.plain(`${pascalName(t.name)}AdminUsername`, t.adminUsername, `Admin user name of test VM ${t.name}.`);
    test.parameters.push(password, username);
    test.after.push(symbolFor('vnet', t.attach.vnet));
    const windows = t.os === 'windows';
    test.resources.push(
      { symbol: symbolFor('nic', nic), type: 'Microsoft.Network/networkInterfaces', apiVersion: NETWORK_API, name: nic, location: true, properties: nicProperties(network, t.attach.vnet, t.attach.subnet, t.privateIp, false), dependsOn: [] },
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
  if (test.resources.length > 0) roles.push(test);
  return roles;
}

/** Turns role resources into modules (own resource group) or main-template resources (the network's group). */
export function placeRoles(topology: Topology, roles: RoleResources[]): { local: ArmResource[]; modules: ArmModule[] } {
  const network = resourceGroup(topology, 'network');
  const local: ArmResource[] = [];
  const modules: ArmModule[] = [];
  for (const r of roles) {
    const group = resourceGroup(topology, r.role);
    const after = [...new Set(r.after)];
    if (group === network) {
      local.push(...r.resources.map((x) => (x.parent ? x : { ...x, dependsOn: [...x.dependsOn, ...after] })));
      continue;
    }
    const location: ArmParameter = { name: 'location', type: 'string', secure: false, default: topology.azure.location, description: 'Region of every resource.' };
    modules.push({
      symbol: `${r.role}Resources`,
      role: r.role,
      resourceGroup: group,
      template: { description: `hybridnet: ${r.role} resources of topology ${topology.name}`, parameters: [location, ...r.parameters.map((p) => ({ ...p, default: undefined }))], resources: r.resources, outputs: [], modules: [] },
      parameters: { location: param('location'), ...Object.fromEntries(r.parameters.map((p) => [p.name, param(p.name)])) },
      dependsOn: after,
    });
  }
  return { local, modules };
}
