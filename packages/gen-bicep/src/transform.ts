/**
 * Topology → ArmTemplate for the network resource group: route tables, VNets and subnets,
 * peerings, public IPs, VPN and ExpressRoute gateways, local network gateways, connections and
 * Route Server. Property shapes follow the official type data (Microsoft.Network 2025-05-01),
 * which the tests check every resource against.
 *
 * Values known only after a deployment flow through parameters (on-premises public IPs) and
 * outputs (gateway instance public IPs and BGP addresses, named as the RRAS and CloudFormation
 * artefacts name them). Keys are secure parameters without defaults.
 */
import {
  azureAddressSpace,
  deploymentEnvironmentVariable,
  connectionKeyParameter,
  connectionTunnels,
  gatewayInstanceParameter,
  pascalName,
  siteAddressSpace,
  type Diagnostic,
  type ExpressRouteConnection,
  type SecretRef,
  type SiteToSiteConnection,
  type Topology,
  type TopologyIndex,
  type VnetToVnetConnection,
  type VpnGateway,
} from '@hybridnet/model';
import { NETWORK_API } from './api-versions.ts';
import type { BicepCode } from './diagnostics.ts';
import { param, property, resourceId, type ArmParameter, type ArmResource, type ArmTemplate, type ArmValue } from './ir.ts';
import { placeRoles, roleResources } from './compute.ts';
import { NAME_LIMITS, symbolFor } from './names.ts';

const T = {
  vnet: 'Microsoft.Network/virtualNetworks',
  peering: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
  pip: 'Microsoft.Network/publicIPAddresses',
  gateway: 'Microsoft.Network/virtualNetworkGateways',
  lng: 'Microsoft.Network/localNetworkGateways',
  connection: 'Microsoft.Network/connections',
  routeTable: 'Microsoft.Network/routeTables',
  hub: 'Microsoft.Network/virtualHubs',
  hubIp: 'Microsoft.Network/virtualHubs/ipConfigurations',
  hubBgp: 'Microsoft.Network/virtualHubs/bgpConnections',
} as const;

const subnetId = (vnet: string, subnet: string) => resourceId('Microsoft.Network/virtualNetworks/subnets', vnet, subnet);
const zoneRedundant = (sku: string) => sku.endsWith('AZ');
const pipCount = (g: VpnGateway) => (g.activeActive ? (g.pointToSite ? 3 : 2) : 1);
const pipName = (gateway: string, n: number) => `${gateway}-pip${n + 1}`;

export function toArmTemplate(topology: Topology, index: TopologyIndex): { template: ArmTemplate; diagnostics: Diagnostic[] } {
  const resources: ArmResource[] = [];
  const parameters: ArmParameter[] = [{ name: 'location', type: 'string', secure: false, default: topology.azure.location, description: 'Region of every resource.' }];
  const outputs: ArmTemplate['outputs'] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (code: BicepCode, severity: Diagnostic['severity'], path: Diagnostic['path'], message: string, hint: string) => diagnostics.push({ code, severity, path, message, hint });
  const add = (r: Omit<ArmResource, 'apiVersion' | 'location' | 'dependsOn'> & Partial<Pick<ArmResource, 'location' | 'dependsOn'>>, path: Diagnostic['path']) => {
    checkName(r, path);
    resources.push({ apiVersion: NETWORK_API, location: true, dependsOn: [], ...r });
  };
  const secureParameter = (name: string, ref: SecretRef, description: string): ArmParameter => {
    const existing = parameters.find((p) => p.name === name);
    if (existing) return existing;
    const parameter: ArmParameter = { name, type: 'string', secure: true, description, fromEnvironment: 'env' in ref ? ref.env : deploymentEnvironmentVariable(name), secret: ref };
    parameters.push(parameter);
    return parameter;
  };

  // Route tables first: subnets refer to them.
  topology.azure.routeTables.forEach((table, t) => {
    add(
      {
        symbol: symbolFor('rt', table.name),
        type: T.routeTable,
        name: table.name,
        properties: {
          disableBgpRoutePropagation: !table.propagateGatewayRoutes,
          routes: table.routes.map((route) => {
            const hop = route.nextHop;
            const firewall = typeof hop === 'object' ? index.firewalls.get(hop.virtualAppliance)!.value : undefined;
            return { name: route.name, properties: { addressPrefix: route.prefix, nextHopType: firewall ? 'VirtualAppliance' : (hop as string), ...(firewall ? { nextHopIpAddress: firewall.privateIp } : {}) } };
          }),
        },
      },
      ['azure', 'routeTables', t],
    );
  });

  topology.azure.vnets.forEach((vnet, v) => {
    const tables = [...new Set(vnet.subnets.map((s) => s.routeTable).filter((x): x is string => Boolean(x)))];
    add(
      {
        symbol: symbolFor('vnet', vnet.name),
        type: T.vnet,
        name: vnet.name,
        properties: {
          addressSpace: { addressPrefixes: vnet.addressSpace },
          subnets: vnet.subnets.map((s) => ({
            name: s.name,
            properties: {
              ...(s.ipv6Prefix ? { addressPrefixes: [s.prefix, s.ipv6Prefix] } : { addressPrefix: s.prefix }),
              ...(s.routeTable ? { routeTable: { id: resourceId(T.routeTable, s.routeTable) } } : {}),
              ...(s.delegation ? { delegations: [{ name: s.delegation.replace('/', '.'), properties: { serviceName: s.delegation } }] } : {}),
            },
          })),
        },
        dependsOn: tables.map((t) => symbolFor('rt', t)),
      },
      ['azure', 'vnets', v],
    );
  });

  // Gateways and their public IPs.
  topology.azure.vnets.forEach((vnet, v) => {
    const gw = vnet.vpnGateway;
    const base = ['azure', 'vnets', v];
    if (gw) {
      for (let n = 0; n < pipCount(gw); n++) addPublicIp(pipName(gw.name, n), zoneRedundant(gw.sku), [...base, 'vpnGateway']);
      const configs = Array.from({ length: gw.activeActive ? 2 : 1 }, (_, i) => `ipconfig${i + 1}`);
      if (gw.activeActive && gw.pointToSite) configs.push('ipconfig3');
      const p2s = gw.pointToSite;
      add(
        {
          symbol: symbolFor('vgw', gw.name),
          type: T.gateway,
          name: gw.name,
          properties: {
            gatewayType: 'Vpn',
            vpnType: gw.vpnType,
            sku: { name: gw.sku, tier: gw.sku },
            vpnGatewayGeneration: gw.generation,
            activeActive: gw.activeActive,
            enableBgp: Boolean(gw.bgp),
            ...(gw.bgp
              ? {
                  bgpSettings: {
                    asn: gw.bgp.asn,
                    ...(gw.bgp.instances
                      ? { bgpPeeringAddresses: gw.bgp.instances.map((inst, i) => ({ ipconfigurationId: resourceId('Microsoft.Network/virtualNetworkGateways/ipConfigurations', gw.name, configs[i]!), customBgpIpAddresses: inst.apipa })) }
                      : {}),
                  },
                }
              : {}),
            ipConfigurations: configs.map((name, i) => ({
              name,
              properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: subnetId(vnet.name, 'GatewaySubnet') }, publicIPAddress: { id: resourceId(T.pip, pipName(gw.name, i)) } },
            })),
            ...(p2s
              ? {
                  vpnClientConfiguration: {
                    vpnClientAddressPool: { addressPrefixes: p2s.addressPool },
                    vpnClientProtocols: p2s.tunnelTypes,
                    vpnAuthenticationTypes: [p2s.authentication.type === 'certificate' ? 'Certificate' : p2s.authentication.type === 'radius' ? 'Radius' : 'AAD'],
                    ...(p2s.authentication.type === 'certificate' ? { vpnClientRootCertificates: p2s.authentication.rootCertificates.map((c) => ({ name: c.name, properties: { publicCertData: c.publicCertData } })) } : {}),
                    ...(p2s.authentication.type === 'radius' ? { radiusServerAddress: p2s.authentication.server, radiusServerSecret: param(`${pascalName(gw.name)}RadiusSecret`) } : {}),
                    ...(p2s.authentication.type === 'aad' ? { aadTenant: `https://login.microsoftonline.com/${p2s.authentication.tenantId}/`, aadAudience: p2s.authentication.audience, aadIssuer: `https://sts.windows.net/${p2s.authentication.tenantId}/` } : {}),
                  },
                }
              : {}),
          },
          dependsOn: [symbolFor('vnet', vnet.name), ...Array.from({ length: pipCount(gw) }, (_, n) => symbolFor('pip', pipName(gw.name, n)))],
        },
        [...base, 'vpnGateway'],
      );
      if (p2s?.authentication.type === 'radius') secureParameter(`${pascalName(gw.name)}RadiusSecret`, p2s.authentication.secret, `RADIUS shared secret of ${gw.name}.`);
      for (let i = 0; i < (gw.activeActive ? 2 : 1); i++) {
        outputs.push({ name: gatewayInstanceParameter(gw.name, i as 0 | 1, 'PublicIp'), type: 'string', value: property(symbolFor('pip', pipName(gw.name, i)), 'ipAddress'), description: `Public IP of instance ${i} of ${gw.name}.` });
        if (gw.bgp) outputs.push({ name: gatewayInstanceParameter(gw.name, i as 0 | 1, 'BgpIp'), type: 'string', value: property(symbolFor('vgw', gw.name), 'bgpSettings', 'bgpPeeringAddresses', i, 'defaultBgpIpAddresses', 0), description: `BGP address of instance ${i} of ${gw.name}.` });
      }
    }
    const er = vnet.expressRouteGateway;
    if (er) {
      addPublicIp(pipName(er.name, 0), zoneRedundant(er.sku), [...base, 'expressRouteGateway']);
      add(
        {
          symbol: symbolFor('ergw', er.name),
          type: T.gateway,
          name: er.name,
          properties: {
            gatewayType: 'ExpressRoute',
            sku: { name: er.sku, tier: er.sku },
            ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: subnetId(vnet.name, 'GatewaySubnet') }, publicIPAddress: { id: resourceId(T.pip, pipName(er.name, 0)) } } }],
          },
          // Co-existing gateways are created one after the other.
          dependsOn: [symbolFor('vnet', vnet.name), symbolFor('pip', pipName(er.name, 0)), ...(gw ? [symbolFor('vgw', gw.name)] : [])],
        },
        [...base, 'expressRouteGateway'],
      );
    }
    const rs = vnet.routeServer;
    if (rs) {
      addPublicIp(pipName(rs.name, 0), true, [...base, 'routeServer']);
      const hub = symbolFor('rs', rs.name);
      add({ symbol: hub, type: T.hub, name: rs.name, properties: { sku: 'Standard', allowBranchToBranchTraffic: rs.branchToBranch, hubRoutingPreference: rs.routingPreference }, dependsOn: [symbolFor('vnet', vnet.name), ...(gw ? [symbolFor('vgw', gw.name)] : []), ...(er ? [symbolFor('ergw', er.name)] : [])] }, [...base, 'routeServer']);
      const ipconfig = symbolFor('rsIpconfig', rs.name);
      add({ symbol: ipconfig, type: T.hubIp, name: 'ipconfig1', parent: hub, location: false, properties: { subnet: { id: subnetId(vnet.name, 'RouteServerSubnet') }, publicIPAddress: { id: resourceId(T.pip, pipName(rs.name, 0)) } }, dependsOn: [hub, symbolFor('pip', pipName(rs.name, 0))] }, [...base, 'routeServer']);
      rs.peers.forEach((peer, p) => add({ symbol: symbolFor('rsPeer', `${rs.name}-${peer.name}`), type: T.hubBgp, name: peer.name, parent: hub, location: false, properties: { peerAsn: peer.asn, peerIp: peer.peerIp }, dependsOn: [hub, ipconfig] }, [...base, 'routeServer', 'peers', p]));
    }
  });

  topology.azure.peerings.forEach((peering, p) => {
    peering.vnets.forEach((vnet, side) => {
      const other = peering.vnets[1 - side]!;
      const transitHub = peering.gatewayTransitFrom;
      const hubGateways = transitHub ? gatewaysOf(transitHub) : [];
      add(
        {
          symbol: symbolFor('peering', `${vnet}-${peering.name}`),
          type: T.peering,
          name: peering.name,
          parent: symbolFor('vnet', vnet),
          location: false,
          properties: {
            remoteVirtualNetwork: { id: resourceId(T.vnet, other) },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: peering.allowForwardedTraffic,
            allowGatewayTransit: transitHub === vnet,
            useRemoteGateways: transitHub === other,
          },
          // Using the remote gateways needs them to exist.
          dependsOn: [symbolFor('vnet', vnet), symbolFor('vnet', other), ...hubGateways],
        },
        ['azure', 'peerings', p],
      );
    });
  });

  topology.connections.forEach((c, i) => {
    if (c.type === 'site-to-site') siteToSite(c, i);
    else if (c.type === 'vnet-to-vnet') vnetToVnet(c, i);
    else expressRoute(c, i);
  });

  // Firewalls, App Service and test VMs: in their own resource groups where the topology says so.
  const plainParameter = (name: string, value: string, description: string): ArmParameter => {
    const existing = parameters.find((p) => p.name === name);
    if (existing) return existing;
    const parameter: ArmParameter = { name, type: 'string', secure: false, default: value, description };
    parameters.push(parameter);
    return parameter;
  };
  const { local, modules } = placeRoles(topology, roleResources(topology, index, { secure: secureParameter, plain: plainParameter }));
  resources.push(...local);
  for (const m of modules) for (const r of m.template.resources) checkName(r, ['azure']);
  topology.azure.appServices.forEach((a, i) => {
    if (a.integration.type !== 'gateway-required') return;
    report(
      'hybridnet/gen-bicep/not-yet-expressed',
      'warning',
      ['azure', 'appServices', i, 'integration'],
      `the gateway-required integration of "${a.name}" is created, but its certificate and VPN package are bound to the gateway only after deployment (App Service generates them)`,
      'after deploying, open the app › Networking › VNet integration and sync the network (or run az webapp vnet-integration add)',
    );
  });

  return {
    template: { description: `hybridnet: Azure side of topology ${topology.name}`, parameters, resources: sortByDependency(resources), outputs, modules },
    diagnostics,
  };

  function checkName(r: Pick<ArmResource, 'name' | 'type'>, path: Diagnostic['path']) {
    const [min, max] = NAME_LIMITS[r.type] ?? [1, 80];
    if (r.name.length < min || r.name.length > max) report('hybridnet/gen-bicep/invalid-name', 'error', path, `"${r.name}" is not a valid ${r.type.split('/').pop()} name: Azure takes ${min} to ${max} characters`, 'shorten the name in the topology');
  }

  function gatewaysOf(vnetName: string): string[] {
    const v = index.vnets.get(vnetName)?.value;
    return [...(v?.vpnGateway ? [symbolFor('vgw', v.vpnGateway.name)] : []), ...(v?.expressRouteGateway ? [symbolFor('ergw', v.expressRouteGateway.name)] : [])];
  }

  function addPublicIp(name: string, zones: boolean, path: Diagnostic['path']) {
    add({ symbol: symbolFor('pip', name), type: T.pip, name, sku: { name: 'Standard', tier: 'Regional' }, ...(zones ? { zones: ['1', '2', '3'] } : {}), properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4' } }, path);
  }

  function siteToSite(c: SiteToSiteConnection, i: number) {
    const entry = index.vpnGateways.get(c.gateway)!;
    const site = index.sites.get(c.site)!.value;
    const keyParam = connectionKeyParameter(c.name);
    secureParameter(keyParam, c.sharedKey, `Pre-shared key of connection ${c.name}.`);
    const lng = `lng-${c.name}`;
    let gatewayIp: ArmValue;
    const dependsOn: string[] = [];
    if (site.device.type === 'azure-vpn-gateway') {
      // The site is another Azure VNet: its gateway's public IP, and a connection back.
      const simulated = index.vpnGateways.get(site.device.gateway)!.value;
      gatewayIp = property(symbolFor('pip', pipName(simulated.name, 0)), 'ipAddress');
      dependsOn.push(symbolFor('pip', pipName(simulated.name, 0)));
      reverse(c, i, simulated.name, keyParam);
    } else if ('publicIp' in site.device && site.device.publicIp && site.device.publicIp !== 'after-deploy') {
      gatewayIp = site.device.publicIp;
    } else {
      const name = `${pascalName(site.name)}PublicIp`;
      if (!parameters.some((p) => p.name === name)) parameters.push({ name, type: 'string', secure: false, description: `Public IP of the VPN device of ${site.name} (for a site in AWS: its stack's ElasticIp output).`, fromEnvironment: deploymentEnvironmentVariable(name) });
      gatewayIp = param(name);
    }
    const bgp = c.bgp && site.bgp && entry.value.bgp;
    add(
      {
        symbol: symbolFor('lng', c.name),
        type: T.lng,
        name: lng,
        properties: {
          gatewayIpAddress: gatewayIp,
          localNetworkAddressSpace: { addressPrefixes: siteAddressSpace(c, index) },
          ...(bgp ? { bgpSettings: { asn: site.bgp!.asn, bgpPeeringAddress: site.bgp!.peerIp } } : {}),
        },
        dependsOn,
      },
      ['connections', i],
    );
    const tunnels = connectionTunnels(c, index).filter((t) => t.apipa);
    add(
      {
        symbol: symbolFor('conn', c.name),
        type: T.connection,
        name: c.name,
        properties: {
          connectionType: 'IPsec',
          connectionProtocol: c.ikeVersion,
          virtualNetworkGateway1: gatewayRef(resourceId(T.gateway, c.gateway)),
          localNetworkGateway2: gatewayRef(resourceId(T.lng, lng)),
          sharedKey: param(keyParam),
          enableBgp: Boolean(bgp),
          ...(c.ipsecPolicy ? { ipsecPolicies: [ipsecPolicy(c.ipsecPolicy)] } : {}),
          ...(tunnels.length > 0 ? { gatewayCustomBgpIpAddresses: tunnels.map((t) => ({ ipConfigurationId: resourceId('Microsoft.Network/virtualNetworkGateways/ipConfigurations', c.gateway, `ipconfig${t.instance + 1}`), customBgpIpAddress: t.apipa! })) } : {}),
        },
        dependsOn: [symbolFor('vgw', c.gateway), symbolFor('lng', c.name)],
      },
      ['connections', i],
    );
  }

  /** The simulated site's side: a local network gateway describing Azure, and its connection. */
  function reverse(c: SiteToSiteConnection, i: number, simulatedGateway: string, keyParam: string) {
    const name = `${c.name}-reverse`;
    add(
      {
        symbol: symbolFor('lng', name),
        type: T.lng,
        name: `lng-${name}`,
        properties: { gatewayIpAddress: property(symbolFor('pip', pipName(c.gateway, 0)), 'ipAddress'), localNetworkAddressSpace: { addressPrefixes: azureAddressSpace(c, topology, index) } },
        dependsOn: [symbolFor('pip', pipName(c.gateway, 0))],
      },
      ['connections', i],
    );
    add(
      {
        symbol: symbolFor('conn', name),
        type: T.connection,
        name,
        properties: {
          connectionType: 'IPsec',
          connectionProtocol: c.ikeVersion,
          virtualNetworkGateway1: gatewayRef(resourceId(T.gateway, simulatedGateway)),
          localNetworkGateway2: gatewayRef(resourceId(T.lng, `lng-${name}`)),
          sharedKey: param(keyParam),
          ...(c.ipsecPolicy ? { ipsecPolicies: [ipsecPolicy(c.ipsecPolicy)] } : {}),
        },
        dependsOn: [symbolFor('vgw', simulatedGateway), symbolFor('lng', name)],
      },
      ['connections', i],
    );
  }

  function vnetToVnet(c: VnetToVnetConnection, i: number) {
    const keyParam = connectionKeyParameter(c.name);
    secureParameter(keyParam, c.sharedKey, `Pre-shared key of connection ${c.name}.`);
    c.gateways.forEach((gateway, side) => {
      const other = c.gateways[1 - side]!;
      const name = side === 0 ? c.name : `${c.name}-reverse`;
      add(
        {
          symbol: symbolFor('conn', name),
          type: T.connection,
          name,
          properties: {
            connectionType: 'Vnet2Vnet',
            virtualNetworkGateway1: gatewayRef(resourceId(T.gateway, gateway)),
            virtualNetworkGateway2: gatewayRef(resourceId(T.gateway, other)),
            sharedKey: param(keyParam),
            enableBgp: c.bgp,
            ...(c.ipsecPolicy ? { ipsecPolicies: [ipsecPolicy(c.ipsecPolicy)] } : {}),
          },
          dependsOn: [symbolFor('vgw', gateway), symbolFor('vgw', other)],
        },
        ['connections', i],
      );
    });
  }

  function expressRoute(c: ExpressRouteConnection, i: number) {
    const keyParam = `${pascalName(c.name)}AuthorizationKey`;
    if (c.authorizationKey) secureParameter(keyParam, c.authorizationKey, `Authorization key of the ExpressRoute circuit of ${c.name}.`);
    add(
      {
        symbol: symbolFor('conn', c.name),
        type: T.connection,
        name: c.name,
        properties: {
          connectionType: 'ExpressRoute',
          virtualNetworkGateway1: gatewayRef(resourceId(T.gateway, c.gateway)),
          peer: { id: c.circuitId },
          routingWeight: c.routingWeight,
          ...(c.authorizationKey ? { authorizationKey: param(keyParam) } : {}),
        },
        dependsOn: [symbolFor('ergw', c.gateway)],
      },
      ['connections', i],
    );
  }
}

/**
 * A connection's reference to a gateway: the id, and the empty properties object that the type
 * data marks required (VirtualNetworkGateway / LocalNetworkGateway; the Bicep compiler's BCP035).
 */
const gatewayRef = (id: ArmValue): ArmValue => ({ id, properties: {} });

function ipsecPolicy(p: NonNullable<SiteToSiteConnection['ipsecPolicy']>): ArmValue {
  return { saLifeTimeSeconds: p.saLifeTimeSeconds, saDataSizeKilobytes: p.saDataSizeKilobytes, ipsecEncryption: p.ipsecEncryption, ipsecIntegrity: p.ipsecIntegrity, ikeEncryption: p.ikeEncryption, ikeIntegrity: p.ikeIntegrity, dhGroup: p.dhGroup, pfsGroup: p.pfsGroup };
}

/** Resources in an order where each comes after what it depends on (stable otherwise). */
function sortByDependency(resources: ArmResource[]): ArmResource[] {
  const bySymbol = new Map(resources.map((r) => [r.symbol, r]));
  const done = new Set<string>();
  const out: ArmResource[] = [];
  const visit = (r: ArmResource) => {
    if (done.has(r.symbol)) return;
    done.add(r.symbol);
    for (const d of r.dependsOn) {
      const dep = bySymbol.get(d);
      if (dep) visit(dep);
    }
    out.push(r);
  };
  resources.forEach(visit);
  return out;
}

