/**
 * App Service plans and apps with their VNet integration.
 *
 * Regional integration (Azure's current way): the site's virtualNetworkSubnetId in a subnet
 * delegated to Microsoft.Web/serverFarms, and route-all (outboundVnetRouting.allTraffic and
 * vnetRouteAllEnabled) so route tables apply to all of the app's traffic.
 *
 * Gateway-required integration (the seed walkthroughs' way): the app declares the VNet
 * (sites/virtualNetworkConnections), which makes App Service generate the certificate whose
 * public part (certBlob) the gateway must trust; the gateway's vpnClientRootCertificates read it
 * from here, so the gateway is created after the app. The plan's routes
 * (serverfarms/virtualNetworkConnections/routes) decide which ranges beyond the VNet enter it.
 * The VPN client package that completes the binding (sites/virtualNetworkConnections/gateways
 * "primary" with its vpnPackageUri) comes from a POST on the gateway, which a template cannot
 * make: `hybridnet deploy azure` does it after the template, DEPLOY.md gives the az commands.
 * Order and shapes: MicrosoftDocs/azure-docs articles/app-service-web/app-service-vnet-integration-powershell.md
 * (declare the VNet to the app, add its certificate to the gateway, get the package, give it
 * to the app's "primary" gateway).
 */
import { formatAddress, parsePrefix, pascalName, resourceGroup, type AppService } from '@hybridnet/model';
import { WEB_API } from '@hybridnet/model';
import { moduleOutput, property, resourceId, resourceIdIn, type ArmValue } from './ir.ts';
import { symbolFor } from './names.ts';
import type { Build } from './build.ts';
import { isLocal, moduleSymbol, type RoleResources } from './roles.ts';

const certOutput = (app: AppService) => `${pascalName(app.name)}CertBlob`;

/** The name under which a gateway trusts a gateway-required app's certificate (the deploy command checks it). */
export const appCertificateName = (appName: string) => `appservice-${appName}`;

/** The gateway-required apps of a VNet: the root certificate each brings, and what the gateway must follow. */
export function appCertificates(b: Build, vnet: string): { name: string; value: ArmValue; after: string }[] {
  const local = isLocal(b.topology, 'app');
  return b.topology.azure.appServices
    .filter((a) => a.integration.type === 'gateway-required' && a.integration.vnet === vnet)
    .map((a) => ({
      name: appCertificateName(a.name),
      value: local ? property(symbolFor('vnetConnection', a.name), 'certBlob') : moduleOutput(moduleSymbol('app'), certOutput(a)),
      after: local ? symbolFor('vnetConnection', a.name) : moduleSymbol('app'),
    }));
}

export function appResources(b: Build): RoleResources {
  const role: RoleResources = { role: 'app', resources: [], parameters: [], outputs: [], after: [] };
  const network = resourceGroup(b.topology, 'network');
  for (const a of b.topology.azure.appServices) {
    const plan = symbolFor('plan', a.plan.name);
    if (!role.resources.some((r) => r.symbol === plan)) {
      role.resources.push({ symbol: plan, type: 'Microsoft.Web/serverfarms', apiVersion: WEB_API, name: a.plan.name, location: true, kind: 'app', sku: { name: a.plan.sku }, properties: { reserved: false }, dependsOn: [] });
    }
    const integration = a.integration;
    role.after.push(symbolFor('vnet', integration.vnet));
    const site = symbolFor('site', a.name);
    role.resources.push({
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
    if (integration.type !== 'gateway-required') continue;
    const connection = symbolFor('vnetConnection', a.name);
    role.resources.push({
      symbol: connection,
      type: 'Microsoft.Web/sites/virtualNetworkConnections',
      apiVersion: WEB_API,
      name: integration.vnet,
      parent: site,
      location: false,
      properties: { vnetResourceId: resourceIdIn(network, 'Microsoft.Network/virtualNetworks', integration.vnet), isSwift: false },
      dependsOn: [site],
    });
    role.outputs.push({ name: certOutput(a), type: 'string', value: property(connection, 'certBlob'), description: `Public certificate App Service generated for ${a.name}'s point-to-site connection (not a secret).` });
    // Ranges beyond the VNet that the app reaches through the gateway, on the plan's VNet connection.
    for (const prefix of integration.routedPrefixes) {
      const range = parsePrefix(prefix);
      if (!range.ok) continue;
      role.resources.push({
        symbol: symbolFor('planRoute', `${a.plan.name}-${prefix}`),
        type: 'Microsoft.Web/serverfarms/virtualNetworkConnections/routes',
        apiVersion: WEB_API,
        name: `${a.plan.name}/${integration.vnet}/${prefix.replace(/[./:]/g, '-')}`,
        location: false,
        properties: { startAddress: formatAddress(range.value.first, range.value.version), endAddress: formatAddress(range.value.last, range.value.version), routeType: 'STATIC' },
        dependsOn: [connection],
      });
    }
  }
  return role;
}
