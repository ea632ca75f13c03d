/**
 * Reading an Azure estate for `hybridnet import azure`, with the Azure SDK's clients: the
 * subscription's resource groups (or those named), each group's resources (the generic list, so
 * nothing present goes unseen), and for each kind hybridnet represents, that kind's list in the
 * group (a VNet brings its subnets and peerings, a circuit its peerings), plus the few children
 * the lists leave out (a Route Server's BGP peers and IP configurations, an app's VNet
 * connections and its plan's routes).
 *
 * Read-only: GET requests only, paged by the SDK (nextLink), retried by its pipeline when Azure
 * throttles (429 with Retry-After). Groups are read a few at a time and each group's lists
 * together, at most PARALLEL_READS requests in flight. A group Azure refuses (no permission) is
 * reported and the others read.
 */
import type { TokenCredential } from '@azure/identity';
import { NetworkManagementClient, type BgpConnection, type ExpressRouteCircuit, type HubIpConfiguration, type LocalNetworkGateway, type NatGateway, type NetworkInterface, type NetworkSecurityGroup, type PublicIPAddress, type RouteTable, type VirtualHub, type VirtualNetwork, type VirtualNetworkGateway, type VirtualNetworkGatewayConnection } from '@azure/arm-network';
import { ResourceManagementClient, type GenericResourceExpanded } from '@azure/arm-resources';
import { WebSiteManagementClient, type AppServicePlan, type Site, type VnetInfoResource, type VnetRoute } from '@azure/arm-appservice';
import { WEB_API } from '@hybridnet/model';
import { AzureError, azureAnswerText, clientOptions, isAzureAnswer, type AzureTarget } from '../azure.ts';
import { azureText } from '../present.ts';

/** At most this many requests in flight at once. */
export const PARALLEL_READS = 16;

export interface RouteServerRead {
  readonly hub: VirtualHub;
  readonly bgpConnections: readonly BgpConnection[];
  readonly ipConfigurations: readonly HubIpConfiguration[];
}

export interface AppRead {
  readonly site: Site;
  readonly vnetConnections: readonly VnetInfoResource[];
  /** The plan's routes for each VNet the app connects to (gateway-required integration), by VNet name. */
  readonly routes: ReadonlyMap<string, readonly VnetRoute[]>;
}

/** What was read, kind by kind, across the groups read. */
export interface Estate {
  readonly subscription: string;
  readonly groups: string[];
  /** Every resource of the groups read, as the generic list gives it. */
  readonly resources: GenericResourceExpanded[];
  readonly vnets: VirtualNetwork[];
  readonly routeTables: RouteTable[];
  readonly securityGroups: NetworkSecurityGroup[];
  readonly gateways: VirtualNetworkGateway[];
  readonly localGateways: LocalNetworkGateway[];
  readonly connections: VirtualNetworkGatewayConnection[];
  readonly circuits: ExpressRouteCircuit[];
  readonly hubs: RouteServerRead[];
  readonly publicIps: PublicIPAddress[];
  readonly natGateways: NatGateway[];
  readonly nics: NetworkInterface[];
  readonly plans: AppServicePlan[];
  readonly apps: AppRead[];
  /** What could not be read, per group (or the subscription's list of groups): Azure's refusal, or an answer of another shape. */
  readonly refused: { readonly scope: string; readonly message: string }[];
}

export interface ReadOptions {
  readonly subscription: string;
  readonly credential: TokenCredential;
  readonly target: AzureTarget;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Only these groups (default: every group of the subscription). */
  readonly groups?: readonly string[];
  /** Progress for large estates (to standard error). */
  readonly progress?: (text: string) => void;
}

/** A few at a time: at most `n` of the tasks running at once. */
export function pool(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const all = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of pages) out.push(x);
  return out;
};


export async function readEstate(options: ReadOptions): Promise<Estate> {
  const sdk = clientOptions(options.target, options.environment);
  const resources = new ResourceManagementClient(options.credential, options.subscription, sdk);
  const network = new NetworkManagementClient(options.credential, options.subscription, sdk);
  const web = new WebSiteManagementClient(options.credential, options.subscription, { ...sdk, apiVersion: WEB_API });
  const estate: Estate = { subscription: options.subscription, groups: [], resources: [], vnets: [], routeTables: [], securityGroups: [], gateways: [], localGateways: [], connections: [], circuits: [], hubs: [], publicIps: [], natGateways: [], nics: [], plans: [], apps: [], refused: [] };
  const limit = pool(PARALLEL_READS);
  const list = <T>(pages: () => AsyncIterable<T>) => limit(() => all(pages()));

  let groups: string[];
  if (options.groups && options.groups.length > 0) groups = [...new Set(options.groups)];
  else {
    try {
      groups = (await list(() => resources.resourceGroups.list())).map((g) => g.name!).filter(Boolean);
    } catch (error) {
      if (!isAzureAnswer(error)) throw error;
      estate.refused.push({ scope: `subscription ${options.subscription}`, message: azureAnswerText(error) });
      return estate;
    }
  }
  groups.sort();
  let done = 0;
  await Promise.all(groups.map(async (rg) => {
    try {
      const generic = await list(() => resources.resources.listByResourceGroup(rg));
      const has = (type: string) => generic.some((r) => r.type?.toLowerCase() === type.toLowerCase());
      const when = <T>(type: string, pages: () => AsyncIterable<T>) => (has(type) ? list(pages) : Promise.resolve([] as T[]));
      const [vnets, routeTables, securityGroups, gateways, localGateways, connections, circuits, hubs, publicIps, natGateways, nics, plans, sites] = await Promise.all([
        when('Microsoft.Network/virtualNetworks', () => network.virtualNetworks.list(rg)),
        when('Microsoft.Network/routeTables', () => network.routeTables.list(rg)),
        when('Microsoft.Network/networkSecurityGroups', () => network.networkSecurityGroups.list(rg)),
        when('Microsoft.Network/virtualNetworkGateways', () => network.virtualNetworkGateways.list(rg)),
        when('Microsoft.Network/localNetworkGateways', () => network.localNetworkGateways.list(rg)),
        when('Microsoft.Network/connections', () => network.virtualNetworkGatewayConnections.list(rg)),
        when('Microsoft.Network/expressRouteCircuits', () => network.expressRouteCircuits.list(rg)),
        when('Microsoft.Network/virtualHubs', () => network.virtualHubs.listByResourceGroup(rg)),
        when('Microsoft.Network/publicIPAddresses', () => network.publicIPAddresses.list(rg)),
        when('Microsoft.Network/natGateways', () => network.natGateways.list(rg)),
        when('Microsoft.Network/networkInterfaces', () => network.networkInterfaces.list(rg)),
        when('Microsoft.Web/serverfarms', () => web.appServicePlans.listByResourceGroup(rg)),
        when('Microsoft.Web/sites', () => web.webApps.listByResourceGroup(rg)),
      ]);
      const hubReads = await Promise.all(hubs.map(async (hub): Promise<RouteServerRead> => {
        const [bgpConnections, ipConfigurations] = await Promise.all([list(() => network.virtualHubBgpConnections.list(rg, hub.name!)), list(() => network.virtualHubIpConfiguration.list(rg, hub.name!))]);
        return { hub, bgpConnections, ipConfigurations };
      }));
      const appReads = await Promise.all(sites.map(async (site): Promise<AppRead> => {
        const vnetConnections = await limit(() => web.webApps.listVnetConnections(rg, site.name!));
        const plan = parseId(site.serverFarmId);
        const routes = new Map<string, VnetRoute[]>();
        for (const c of vnetConnections.filter((v) => !v.isSwift && v.name)) {
          if (plan) routes.set(c.name!, await limit(() => web.appServicePlans.listRoutesForVnet(plan.group, plan.name, c.name!)));
        }
        return { site, vnetConnections, routes };
      }));
      estate.groups.push(rg);
      estate.resources.push(...generic);
      estate.vnets.push(...vnets);
      estate.routeTables.push(...routeTables);
      estate.securityGroups.push(...securityGroups);
      estate.gateways.push(...gateways);
      estate.localGateways.push(...localGateways);
      estate.connections.push(...connections);
      estate.circuits.push(...circuits);
      estate.hubs.push(...hubReads);
      estate.publicIps.push(...publicIps);
      estate.natGateways.push(...natGateways);
      estate.nics.push(...nics);
      estate.plans.push(...plans);
      estate.apps.push(...appReads);
    } catch (error) {
      if (isAzureAnswer(error)) estate.refused.push({ scope: `resource group ${rg}`, message: azureAnswerText(error) });
      // Not reaching Azure, or being sent elsewhere, stops the import (exit 3); an answer the SDK
      // could not read (not the shape the spec declares) loses that group only.
      else if (error instanceof AzureError || (error as { name?: string }).name === 'RestError') throw error;
      else estate.refused.push({ scope: `resource group ${rg}`, message: azureText(`an answer of an unexpected shape: ${(error as Error).message ?? String(error)}`) });
    }
    done++;
    // At most about twenty lines, however many groups.
    if (done === groups.length || done % Math.ceil(groups.length / 20) === 0) options.progress?.(`read ${done}/${groups.length} resource groups (${rg})`);
  }));
  // The same order whatever order the groups answered in.
  const byId = (a: { id?: string }, b: { id?: string }) => ((a.id ?? '').toLowerCase() < (b.id ?? '').toLowerCase() ? -1 : 1);
  estate.groups.sort();
  for (const key of ['resources', 'vnets', 'routeTables', 'securityGroups', 'gateways', 'localGateways', 'connections', 'circuits', 'publicIps', 'natGateways', 'nics', 'plans'] as const) (estate[key] as { id?: string }[]).sort(byId);
  estate.hubs.sort((a, b) => byId(a.hub, b.hub));
  estate.apps.sort((a, b) => byId(a.site, b.site));
  return estate;
}

/** A resource id's group, type path and name. */
export function parseId(id: string | undefined): { group: string; provider: string; types: string[]; names: string[]; name: string } | undefined {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i.exec(id ?? '');
  if (!m) return undefined;
  const parts = m[3]!.split('/');
  const types = parts.filter((_, i) => i % 2 === 0);
  const names = parts.filter((_, i) => i % 2 === 1);
  return { group: m[1]!, provider: m[2]!, types, names, name: names.at(-1)! };
}
