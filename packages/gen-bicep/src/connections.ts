/**
 * Local network gateways and connections: site-to-site (both directions when the site is another
 * Azure VNet), VNet-to-VNet and ExpressRoute. Keys are secure parameters without defaults.
 */
import { azureAddressSpace, connectionKeyParameter, connectionTunnels, pascalName, siteAddressSpace, type ExpressRouteConnection, type SiteToSiteConnection, type VnetToVnetConnection } from '@hybridnet/model';
import { param, property, resourceId, type ArmValue } from './ir.ts';
import { symbolFor } from './names.ts';
import { afterRouteServer, gatewayRef, ipsecPolicy, networkResource, pipName, T, type Build, type Placed } from './build.ts';

/** The Route Server of the gateways' VNets, which a connection waits for. */
const routeServerOf = (b: Build, ...gateways: string[]): string[] => afterRouteServer(b, gateways.flatMap((g) => [b.index.vpnGateways.get(g)?.vnet.name ?? b.index.expressRouteGateways.get(g)?.vnet.name ?? []].flat()));

export function connections(b: Build): Placed[] {
  return b.topology.connections.flatMap((c, i) => (c.type === 'site-to-site' ? siteToSite(b, c, i) : c.type === 'vnet-to-vnet' ? vnetToVnet(b, c, i) : expressRoute(b, c, i)));
}

function siteToSite(b: Build, c: SiteToSiteConnection, i: number): Placed[] {
  const path = ['connections', i];
  const entry = b.index.vpnGateways.get(c.gateway)!;
  const site = b.index.sites.get(c.site)!.value;
  const keyParam = connectionKeyParameter(c.name);
  b.secure(keyParam, c.sharedKey, `Pre-shared key of connection ${c.name}.`);
  const lng = `lng-${c.name}`;
  const out: Placed[] = [];
  let gatewayIp: ArmValue;
  const dependsOn: string[] = [];
  if (site.device.type === 'azure-vpn-gateway') {
    // The site is another Azure VNet: its gateway's public IP, and a connection back.
    const simulated = b.index.vpnGateways.get(site.device.gateway)!.value;
    gatewayIp = property(symbolFor('pip', pipName(simulated.name, 0)), 'ipAddress');
    dependsOn.push(symbolFor('pip', pipName(simulated.name, 0)));
    out.push(...reverse(b, c, i, simulated.name, keyParam));
  } else if ('publicIp' in site.device && site.device.publicIp && site.device.publicIp !== 'after-deploy') {
    gatewayIp = site.device.publicIp;
  } else {
    // Known only after the site's own deployment (for example its AWS Elastic IP): an input
    // without a default, never an empty value that the local network gateway would reject.
    gatewayIp = param(b.input(`${pascalName(site.name)}PublicIp`, `Public IP of the VPN device of ${site.name} (for a site in AWS: its stack's ElasticIp output).`).name);
  }
  const bgp = c.bgp && site.bgp && entry.value.bgp;
  out.push({
    path,
    resource: networkResource({
      symbol: symbolFor('lng', c.name),
      type: T.lng,
      name: lng,
      properties: { gatewayIpAddress: gatewayIp, localNetworkAddressSpace: { addressPrefixes: siteAddressSpace(c, b.index) }, ...(bgp ? { bgpSettings: { asn: site.bgp!.asn, bgpPeeringAddress: site.bgp!.peerIp } } : {}) },
      dependsOn,
    }),
  });
  const tunnels = connectionTunnels(c, b.index).filter((t) => t.apipa);
  out.push({
    path,
    resource: networkResource({
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
        ...(tunnels.length > 0 ? { gatewayCustomBgpIpAddresses: tunnels.map((t) => ({ ipConfigurationId: resourceId(T.gatewayIpConfig, c.gateway, `ipconfig${t.instance + 1}`), customBgpIpAddress: t.apipa! })) } : {}),
      },
      dependsOn: [symbolFor('vgw', c.gateway), symbolFor('lng', c.name), ...routeServerOf(b, c.gateway)],
    }),
  });
  return out;
}

/** The simulated site's side: a local network gateway describing Azure, and its connection. */
function reverse(b: Build, c: SiteToSiteConnection, i: number, simulatedGateway: string, keyParam: string): Placed[] {
  const name = `${c.name}-reverse`;
  const path = ['connections', i];
  return [
    {
      path,
      resource: networkResource({
        symbol: symbolFor('lng', name),
        type: T.lng,
        name: `lng-${name}`,
        properties: { gatewayIpAddress: property(symbolFor('pip', pipName(c.gateway, 0)), 'ipAddress'), localNetworkAddressSpace: { addressPrefixes: azureAddressSpace(c, b.topology, b.index) } },
        dependsOn: [symbolFor('pip', pipName(c.gateway, 0))],
      }),
    },
    {
      path,
      resource: networkResource({
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
        dependsOn: [symbolFor('vgw', simulatedGateway), symbolFor('lng', name), ...routeServerOf(b, simulatedGateway)],
      }),
    },
  ];
}

function vnetToVnet(b: Build, c: VnetToVnetConnection, i: number): Placed[] {
  const keyParam = connectionKeyParameter(c.name);
  b.secure(keyParam, c.sharedKey, `Pre-shared key of connection ${c.name}.`);
  return c.gateways.map((gateway, side) => {
    const other = c.gateways[1 - side]!;
    const name = side === 0 ? c.name : `${c.name}-reverse`;
    return {
      path: ['connections', i],
      resource: networkResource({
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
        dependsOn: [symbolFor('vgw', gateway), symbolFor('vgw', other), ...routeServerOf(b, gateway, other)],
      }),
    };
  });
}

function expressRoute(b: Build, c: ExpressRouteConnection, i: number): Placed[] {
  const keyParam = `${pascalName(c.name)}AuthorizationKey`;
  if (c.authorizationKey) b.secure(keyParam, c.authorizationKey, `Authorization key of the ExpressRoute circuit of ${c.name}.`);
  return [
    {
      path: ['connections', i],
      resource: networkResource({
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
        dependsOn: [symbolFor('ergw', c.gateway), ...routeServerOf(b, c.gateway)],
      }),
    },
  ];
}
