/** Route tables, NAT gateways, VNets with their subnets, and peerings. */
import { NSG_SERVICE_TAGS } from '@hybridnet/model';
import { endpointPrefixes } from '@hybridnet/model';
import { resourceId } from './ir.ts';
import { symbolFor } from './names.ts';
import { afterRouteServer, networkResource, publicIp, T, type Build, type Placed } from './build.ts';

export function routeTables(b: Build): Placed[] {
  return b.topology.azure.routeTables.map((table, t) => ({
    path: ['azure', 'routeTables', t],
    resource: networkResource({
      symbol: symbolFor('rt', table.name),
      type: T.routeTable,
      name: table.name,
      properties: {
        disableBgpRoutePropagation: !table.propagateGatewayRoutes,
        routes: table.routes.map((route) => {
          const hop = route.nextHop;
          const firewall = typeof hop === 'object' ? b.index.firewalls.get(hop.virtualAppliance)!.value : undefined;
          return { name: route.name, properties: { addressPrefix: route.prefix, nextHopType: firewall ? 'VirtualAppliance' : (hop as string), ...(firewall ? { nextHopIpAddress: firewall.privateIp } : {}) } };
        }),
      },
    }),
  }));
}

/**
 * Network security groups with their rules. A rule's names from the topology (a subnet, VNet,
 * site, test endpoint, address group) become the prefixes they stand for; service tags stay as
 * they are; one entry goes in the singular property, several in the plural (Azure's "augmented
 * security rules").
 */
export function networkSecurityGroups(b: Build): Placed[] {
  const side = (entries: readonly string[], one: string, many: string) => {
    const values = [...new Set(entries.flatMap((e) => ((NSG_SERVICE_TAGS as readonly string[]).includes(e) ? [e] : endpointPrefixes(e, b.index))))];
    return values.length === 1 ? { [one]: values[0]! } : { [many]: values };
  };
  return b.topology.azure.networkSecurityGroups.map((g, n) => ({
    path: ['azure', 'networkSecurityGroups', n],
    resource: networkResource({
      symbol: symbolFor('nsg', g.name),
      type: T.nsg,
      name: g.name,
      properties: {
        securityRules: g.rules.map((r) => ({
          name: r.name,
          properties: {
            ...(r.description ? { description: r.description } : {}),
            priority: r.priority,
            direction: r.direction,
            access: r.access,
            protocol: r.protocol,
            ...side(r.source, 'sourceAddressPrefix', 'sourceAddressPrefixes'),
            ...(r.sourcePorts.length === 1 ? { sourcePortRange: r.sourcePorts[0]! } : { sourcePortRanges: r.sourcePorts }),
            ...side(r.destination, 'destinationAddressPrefix', 'destinationAddressPrefixes'),
            ...(r.destinationPorts.length === 1 ? { destinationPortRange: r.destinationPorts[0]! } : { destinationPortRanges: r.destinationPorts }),
          },
        })),
      },
    }),
  }));
}

/** A NAT gateway per name that subnets give (Standard, with its own Standard static public IP). */
export function natGateways(b: Build): Placed[] {
  const out: Placed[] = [];
  const seen = new Set<string>();
  b.topology.azure.vnets.forEach((vnet, v) =>
    vnet.subnets.forEach((subnet, s) => {
      const name = subnet.natGateway;
      if (!name || seen.has(name)) return;
      seen.add(name);
      const path = ['azure', 'vnets', v, 'subnets', s, 'natGateway'];
      const ip = publicIp(`${name}-pip`, false);
      out.push({ resource: ip, path }, { resource: networkResource({ symbol: symbolFor('nat', name), type: T.nat, name, sku: { name: 'Standard' }, properties: { idleTimeoutInMinutes: 4, publicIpAddresses: [{ id: resourceId(T.pip, ip.name) }] }, dependsOn: [ip.symbol] }), path });
    }),
  );
  return out;
}

export function vnets(b: Build): Placed[] {
  return b.topology.azure.vnets.map((vnet, v) => {
    const tables = [...new Set(vnet.subnets.map((s) => s.routeTable).filter((x): x is string => Boolean(x)))];
    const nats = [...new Set(vnet.subnets.map((s) => s.natGateway).filter((x): x is string => Boolean(x)))];
    const groups = [...new Set(vnet.subnets.map((s) => s.networkSecurityGroup).filter((x): x is string => Boolean(x)))];
    return {
      path: ['azure', 'vnets', v],
      resource: networkResource({
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
              ...(s.natGateway ? { natGateway: { id: resourceId(T.nat, s.natGateway) } } : {}),
              ...(s.networkSecurityGroup ? { networkSecurityGroup: { id: resourceId(T.nsg, s.networkSecurityGroup) } } : {}),
              ...(s.delegation ? { delegations: [{ name: s.delegation.replace('/', '.'), properties: { serviceName: s.delegation } }] } : {}),
            },
          })),
        },
        dependsOn: [...tables.map((t) => symbolFor('rt', t)), ...nats.map((n) => symbolFor('nat', n)), ...groups.map((g) => symbolFor('nsg', g))],
      }),
    };
  });
}

export function peerings(b: Build): Placed[] {
  const gatewaysOf = (vnetName: string): string[] => {
    const v = b.index.vnets.get(vnetName)?.value;
    return [...(v?.vpnGateway ? [symbolFor('vgw', v.vpnGateway.name)] : []), ...(v?.expressRouteGateway ? [symbolFor('ergw', v.expressRouteGateway.name)] : [])];
  };
  return b.topology.azure.peerings.flatMap((peering, p) =>
    peering.vnets.map((vnet, side) => {
      const other = peering.vnets[1 - side]!;
      const transitHub = peering.gatewayTransitFrom;
      return {
        path: ['azure', 'peerings', p],
        resource: networkResource({
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
          dependsOn: [symbolFor('vnet', vnet), symbolFor('vnet', other), ...(transitHub ? gatewaysOf(transitHub) : []), ...afterRouteServer(b, [vnet, other])],
        }),
      };
    }),
  );
}
