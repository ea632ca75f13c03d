/**
 * VPN and ExpressRoute gateways with their public IPs, and the outputs other deployments take
 * from them (each instance's public IP and BGP address).
 */
import { gatewayGeneration, gatewayInstanceParameter, pascalName, type VpnGateway } from '@hybridnet/model';
import { appCertificates } from './app.ts';
import { firstWhere, param, property, resourceId } from './ir.ts';
import { symbolFor } from './names.ts';
import { networkResource, pipName, publicIp, subnetId, T, type Build, type Placed } from './build.ts';

const zoneRedundant = (sku: string) => sku.endsWith('AZ');
const pipCount = (g: VpnGateway) => (g.activeActive ? (g.pointToSite ? 3 : 2) : 1);
const ipConfigName = (n: number) => `ipconfig${n + 1}`;

export function vpnGateways(b: Build): Placed[] {
  const out: Placed[] = [];
  b.topology.azure.vnets.forEach((vnet, v) => {
    const gw = vnet.vpnGateway;
    if (!gw) return;
    const path = ['azure', 'vnets', v, 'vpnGateway'];
    for (let n = 0; n < pipCount(gw); n++) out.push({ resource: publicIp(pipName(gw.name, n), zoneRedundant(gw.sku)), path });
    const configs = Array.from({ length: pipCount(gw) }, (_, i) => ipConfigName(i));
    const p2s = gw.pointToSite;
    // Gateway-required App Service integration: each app's own certificate is a trusted root,
    // read from the app's VNet connection, so a redeploy keeps it (an empty or partial list
    // would remove it and cut the app off).
    const apps = p2s ? appCertificates(b, vnet.name) : [];
    const roots = p2s?.authentication.type === 'certificate' ? [...p2s.authentication.rootCertificates.map((c) => ({ name: c.name, properties: { publicCertData: c.publicCertData } })), ...apps.map((a) => ({ name: a.name, properties: { publicCertData: a.value } }))] : [];
    if (p2s?.authentication.type === 'radius') b.secure(`${pascalName(gw.name)}RadiusSecret`, p2s.authentication.secret, `RADIUS shared secret of ${gw.name}.`);
    out.push({
      path,
      resource: networkResource({
        symbol: symbolFor('vgw', gw.name),
        type: T.gateway,
        name: gw.name,
        properties: {
          gatewayType: 'Vpn',
          vpnType: gw.vpnType,
          sku: { name: gw.sku, tier: gw.sku },
          vpnGatewayGeneration: gatewayGeneration(gw),
          activeActive: gw.activeActive,
          enableBgp: Boolean(gw.bgp),
          ...(gw.bgp
            ? {
                bgpSettings: {
                  asn: gw.bgp.asn,
                  ...(gw.bgp.instances ? { bgpPeeringAddresses: gw.bgp.instances.map((inst, i) => ({ ipconfigurationId: resourceId(T.gatewayIpConfig, gw.name, configs[i]!), customBgpIpAddresses: inst.apipa })) } : {}),
                },
              }
            : {}),
          ipConfigurations: configs.map((name, i) => ({ name, properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: subnetId(vnet.name, 'GatewaySubnet') }, publicIPAddress: { id: resourceId(T.pip, pipName(gw.name, i)) } } })),
          ...(p2s
            ? {
                vpnClientConfiguration: {
                  vpnClientAddressPool: { addressPrefixes: p2s.addressPool },
                  vpnClientProtocols: p2s.tunnelTypes,
                  vpnAuthenticationTypes: [p2s.authentication.type === 'certificate' ? 'Certificate' : p2s.authentication.type === 'radius' ? 'Radius' : 'AAD'],
                  ...(roots.length > 0 ? { vpnClientRootCertificates: roots } : {}),
                  ...(p2s.authentication.type === 'radius' ? { radiusServerAddress: p2s.authentication.server, radiusServerSecret: param(`${pascalName(gw.name)}RadiusSecret`) } : {}),
                  ...(p2s.authentication.type === 'aad' ? { aadTenant: `https://login.microsoftonline.com/${p2s.authentication.tenantId}/`, aadAudience: p2s.authentication.audience, aadIssuer: `https://sts.windows.net/${p2s.authentication.tenantId}/` } : {}),
                },
              }
            : {}),
        },
        dependsOn: [symbolFor('vnet', vnet.name), ...Array.from({ length: pipCount(gw) }, (_, n) => symbolFor('pip', pipName(gw.name, n))), ...apps.map((a) => a.after)],
      }),
    });
    for (let i = 0; i < (gw.activeActive ? 2 : 1); i++) {
      b.output({ name: gatewayInstanceParameter(gw.name, i as 0 | 1, 'PublicIp'), type: 'string', value: property(symbolFor('pip', pipName(gw.name, i)), 'ipAddress'), description: `Public IP of instance ${i} of ${gw.name}.` });
      // Chosen by IP configuration, not by position: Azure does not promise the order of
      // bgpPeeringAddresses, and each tunnel's weight must land on its own instance.
      if (gw.bgp) b.output({ name: gatewayInstanceParameter(gw.name, i as 0 | 1, 'BgpIp'), type: 'string', value: firstWhere(property(symbolFor('vgw', gw.name), 'bgpSettings', 'bgpPeeringAddresses'), 'ipconfigurationId', `/${configs[i]}`, 'defaultBgpIpAddresses', 0), description: `BGP address of instance ${i} (${configs[i]}) of ${gw.name}.` });
    }
  });
  return out;
}

export function expressRouteGateways(b: Build): Placed[] {
  return b.topology.azure.vnets.flatMap((vnet, v) => {
    const er = vnet.expressRouteGateway;
    if (!er) return [];
    const path = ['azure', 'vnets', v, 'expressRouteGateway'];
    return [
      { resource: publicIp(pipName(er.name, 0), zoneRedundant(er.sku)), path },
      {
        path,
        resource: networkResource({
          symbol: symbolFor('ergw', er.name),
          type: T.gateway,
          name: er.name,
          properties: {
            gatewayType: 'ExpressRoute',
            sku: { name: er.sku, tier: er.sku },
            ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: subnetId(vnet.name, 'GatewaySubnet') }, publicIPAddress: { id: resourceId(T.pip, pipName(er.name, 0)) } } }],
          },
          // Co-existing gateways are created one after the other.
          dependsOn: [symbolFor('vnet', vnet.name), symbolFor('pip', pipName(er.name, 0)), ...(vnet.vpnGateway ? [symbolFor('vgw', vnet.vpnGateway.name)] : [])],
        }),
      },
    ];
  });
}

/** Route Server: the virtualHubs resource, its IP configuration with a public IP, and its BGP peers. */
export function routeServers(b: Build): Placed[] {
  return b.topology.azure.vnets.flatMap((vnet, v) => {
    const rs = vnet.routeServer;
    if (!rs) return [];
    const path = ['azure', 'vnets', v, 'routeServer'];
    const hub = symbolFor('rs', rs.name);
    const ipconfig = symbolFor('rsIpconfig', rs.name);
    const after = [symbolFor('vnet', vnet.name), ...(vnet.vpnGateway ? [symbolFor('vgw', vnet.vpnGateway.name)] : []), ...(vnet.expressRouteGateway ? [symbolFor('ergw', vnet.expressRouteGateway.name)] : [])];
    return [
      { resource: publicIp(pipName(rs.name, 0), true), path },
      { resource: networkResource({ symbol: hub, type: T.hub, name: rs.name, properties: { sku: 'Standard', allowBranchToBranchTraffic: rs.branchToBranch, hubRoutingPreference: rs.routingPreference }, dependsOn: after }), path },
      { resource: networkResource({ symbol: ipconfig, type: T.hubIp, name: 'ipconfig1', parent: hub, location: false, properties: { subnet: { id: subnetId(vnet.name, 'RouteServerSubnet') }, publicIPAddress: { id: resourceId(T.pip, pipName(rs.name, 0)) } }, dependsOn: [hub, symbolFor('pip', pipName(rs.name, 0))] }), path },
      ...rs.peers.map((peer, p) => ({ path: [...path, 'peers', p], resource: networkResource({ symbol: symbolFor('rsPeer', `${rs.name}-${peer.name}`), type: T.hubBgp, name: peer.name, parent: hub, location: false, properties: { peerAsn: peer.asn, peerIp: peer.peerIp }, dependsOn: [hub, ipconfig] }) })),
    ];
  });
}
