/**
 * What a deployed network's reads answer in the local Resource Manager (arm-stand-in.ts): each
 * gateway's learned routes, BGP peers and advertised routes, connections' status, NICs' effective
 * routes and security groups, Network Watcher's next hops and IP flow verify, from a fixture
 * (packages/cli/test/fixtures/azure-network/*.json) put into each sample's shape: the route lists
 * into the GatewayRouteListResult and BgpPeerStatusListResult the spec defines (the samples'
 * bodies are empty), the connection's status into VirtualNetworkGatewayConnectionGet.json, the
 * routes into NetworkInterfaceEffectiveRouteTableList.json's `value`, the next hop into
 * NetworkWatcherNextHopGet.json; a NIC's effective security groups and IP flow verify, which the
 * corpus has no operation for, in the REST reference's shapes.
 */
import { readFileSync } from 'node:fs';
import type { Variant } from './arm-stand-in.ts';

/** What Azure's network reads answer, by resource name. */
export interface NetworkFixture {
  learnedRoutes: Record<string, Record<string, unknown>[]>;
  bgpPeers: Record<string, Record<string, unknown>[]>;
  /** By `gateway peer`. */
  advertisedRoutes: Record<string, Record<string, unknown>[]>;
  connections: Record<string, string>;
  effectiveRoutes: Record<string, Record<string, unknown>[]>;
  networkWatchers: Record<string, unknown>[];
  nextHops: Record<string, Record<string, unknown>>;
  /** A NIC's effective security groups, as EffectiveNetworkSecurityGroupListResult's `value`. */
  securityGroups?: Record<string, Record<string, unknown>[]>;
  /** By `vm direction remote protocol port`: VerificationIPFlowResult. */
  ipFlows?: Record<string, Record<string, unknown>>;
}

/** A fixture of packages/cli/test/fixtures/azure-network, by example. */
export const fixture = (name: string): NetworkFixture => JSON.parse(readFileSync(new URL(`../../packages/cli/test/fixtures/azure-network/${name}.json`, import.meta.url), 'utf8')) as NetworkFixture;
const missing = (name: string) => ({ error: { status: 404, code: 'ResourceNotFound', message: `The Resource '${name}' was not found.` } });
const list = (value: unknown[] | undefined, name: string) => (value ? { body: { value } } : missing(name));

/** The samples' answers, with this network's data in them. */
export function network(f: NetworkFixture): Record<string, Variant> {
  return {
    VirtualNetworkGateways_GetLearnedRoutes: ({ params }) => list(f.learnedRoutes[params.virtualNetworkGatewayName!], params.virtualNetworkGatewayName!),
    VirtualNetworkGateways_GetBgpPeerStatus: ({ params }) => list(f.bgpPeers[params.virtualNetworkGatewayName!], params.virtualNetworkGatewayName!),
    VirtualNetworkGateways_GetAdvertisedRoutes: ({ params, query }) => list(f.advertisedRoutes[`${params.virtualNetworkGatewayName} ${query.get('peer')}`], params.virtualNetworkGatewayName!),
    VirtualNetworkGatewayConnections_Get: ({ params, sample }) => {
      const name = params.virtualNetworkGatewayConnectionName!;
      const body = sample as { properties: Record<string, unknown> };
      return f.connections[name] ? { body: { ...body, name, properties: { ...body.properties, authenticationType: 'PSK', connectionStatus: f.connections[name] } } } : missing(name);
    },
    NetworkInterfaces_GetEffectiveRouteTable: ({ params }) => list(f.effectiveRoutes[params.networkInterfaceName!], params.networkInterfaceName!),
    NetworkWatchers_ListAll: () => ({ body: { value: f.networkWatchers } }),
    NetworkWatchers_GetNextHop: ({ body }) => {
      const q = body as { sourceIPAddress: string; destinationIPAddress: string };
      const hop = f.nextHops[`${q.sourceIPAddress}>${q.destinationIPAddress}`];
      return hop ? { body: hop } : { error: { status: 400, code: 'InvalidRequest', message: `no next hop for ${q.sourceIPAddress} to ${q.destinationIPAddress}` } };
    },
    NetworkInterfaces_ListEffectiveNetworkSecurityGroups: ({ params }) => list(f.securityGroups?.[params.networkInterfaceName!], params.networkInterfaceName!),
    NetworkWatchers_VerifyIPFlow: ({ body }) => {
      const q = body as { targetResourceId: string; direction: string; protocol: string; localPort: string; remotePort: string; remoteIPAddress: string };
      const key = `${q.targetResourceId.split('/').at(-1)} ${q.direction} ${q.remoteIPAddress} ${q.protocol} ${q.direction === 'Outbound' ? q.remotePort : q.localPort}`;
      const result = f.ipFlows?.[key];
      return result ? { body: result } : { error: { status: 400, code: 'InvalidRequest', message: `no answer for ${key}` } };
    },
  };
}
