/**
 * Derived values every consumer must agree on: the validator checks them, each generator prints
 * them. Computing them once here is what makes the two ends of a tunnel agree by construction.
 *
 * - the tunnels a site-to-site connection builds (default: one per gateway instance);
 * - the prefixes Azure's local network gateway holds for a site (default: the site LAN with
 *   static routing, none with BGP: the gateway then adds a host route to the BGP peer itself);
 * - the prefixes a site sends toward Azure (default: the gateway's VNet, the VNets that use it
 *   through peering, and its point-to-site pool, so replies to point-to-site clients return);
 * - which resource group holds which object;
 * - the names of the values that cross from one deployment to another (an Azure gateway
 *   instance's public IP, a connection's key), so every artefact that passes or takes one
 *   spells it the same.
 */
import type { FIREWALL_BUILTIN_OBJECTS, TopologyIndex } from './link.ts';
import { contains, parsePrefix } from './cidr.ts';
import { NON_PUBLIC_RANGES, RFC1918_RANGES } from './data/address-ranges.ts';
import { LISTENER_PORTS, serviceTcpPort } from './data/firewall-services.ts';
import type { Firewall, FirewallRule, ResourceGroups, Vnet } from './schema/azure.ts';
import type { SiteToSiteConnection, Tunnel } from './schema/onprem.ts';
import type { Topology } from './schema/topology.ts';
import type { SecretRef } from './schema/primitives.ts';

export function connectionTunnels(connection: SiteToSiteConnection, index: TopologyIndex): Tunnel[] {
  if (connection.tunnels) return connection.tunnels;
  const gateway = index.vpnGateways.get(connection.gateway)?.value;
  return gateway?.activeActive ? [{ instance: 0 }, { instance: 1 }] : [{ instance: 0 }];
}

export function siteAddressSpace(connection: SiteToSiteConnection, index: TopologyIndex): string[] {
  if (connection.siteAddressSpace) return connection.siteAddressSpace;
  return connection.bgp ? [] : [...(index.sites.get(connection.site)?.value.lan ?? [])];
}

/** VNets whose traffic a gateway carries: its own VNet and the VNets peered to it with gateway transit. */
export function vnetsBehindGateway(vnet: Vnet, _topology: Topology, index: TopologyIndex): Vnet[] {
  const spokes = (index.transitSpokes.get(vnet.name) ?? []).map((name) => index.vnets.get(name)?.value).filter((v): v is Vnet => v !== undefined);
  return [vnet, ...spokes];
}

/** What a gateway carries, per index and gateway: every connection of a hub's 500 sites asks. */
const carried = new WeakMap<TopologyIndex, Map<string, readonly string[]>>();

export function azureAddressSpace(connection: SiteToSiteConnection, topology: Topology, index: TopologyIndex): string[] {
  if (connection.azureAddressSpace) return connection.azureAddressSpace;
  const entry = index.vpnGateways.get(connection.gateway);
  if (!entry) return [];
  const byGateway = carried.get(index) ?? carried.set(index, new Map()).get(index)!;
  let prefixes = byGateway.get(connection.gateway);
  if (!prefixes) byGateway.set(connection.gateway, (prefixes = [...vnetsBehindGateway(entry.vnet, topology, index).flatMap((v) => v.addressSpace), ...(entry.value.pointToSite?.addressPool ?? [])]));
  return [...prefixes];
}

/** The Azure prefixes (IPv4) a site's tunnels carry: what its simulated AWS VPC routes to Azure and lets into its instances. */
export function awsAzurePrefixes(connections: readonly SiteToSiteConnection[], topology: Topology, index: TopologyIndex): string[] {
  return [...new Set(connections.flatMap((c) => azureAddressSpace(c, topology, index)))].filter((p) => !p.includes(':'));
}

/**
 * What the security group hybridnet generates for a test machine of a site simulated in AWS lets
 * in (gen-cloudformation, <Endpoint>SecurityGroup): the site's VPC and the Azure prefixes its
 * tunnels carry. Security groups are stateful: what the machine starts comes back.
 */
export function awsTestEndpointIngress(siteName: string, topology: Topology, index: TopologyIndex): string[] {
  const site = index.sites.get(siteName)?.value;
  if (site?.hosting.type !== 'aws') return [];
  const connections = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && c.site === siteName);
  return [site.hosting.vpcCidr, ...awsAzurePrefixes(connections, topology, index)];
}

export type ResourceRole = keyof ResourceGroups;

export function resourceGroup(topology: Topology, role: ResourceRole): string {
  return topology.azure.resourceGroups[role] ?? topology.azure.resourceGroups.network;
}

/** `hub-to-branch` → `HubToBranch`: an identifier for scripts and templates from a model name. */
export function pascalName(name: string): string {
  const word = name
    .split(/[-_.]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[0-9]/.test(word) ? `N${word}` : word;
}

/** The parameter that carries a value of one Azure VPN gateway instance: `VgwHubInstance0PublicIp`. */
export function gatewayInstanceParameter(gateway: string, instance: 0 | 1, value: 'PublicIp' | 'BgpIp'): string {
  return `${pascalName(gateway)}Instance${instance}${value}`;
}

/** The parameter that carries a connection's pre-shared key: `HubToBranchSharedKey`. */
export function connectionKeyParameter(connection: string): string {
  return `${pascalName(connection)}SharedKey`;
}

/**
 * The prefixes a firewall address group stands for: its literal prefixes, then the address
 * space of each VNet, the point-to-site pool of each VPN gateway and the LAN of each site it
 * names, in order, without repeats.
 */
export function addressGroupPrefixes(group: { prefixes: readonly string[]; objects: readonly string[] }, index: TopologyIndex): string[] {
  const out: string[] = [...group.prefixes];
  for (const name of group.objects) {
    out.push(...(index.vnets.get(name)?.value.addressSpace ?? []));
    out.push(...(index.vpnGateways.get(name)?.value.pointToSite?.addressPool ?? []));
    out.push(...(index.sites.get(name)?.value.lan ?? []));
  }
  return [...new Set(out)];
}

/** The name of the RRAS demand-dial interface (and BGP peer) toward one Azure gateway instance. */
export function rrasInterfaceName(gateway: string, instance: 0 | 1): string {
  return `azure-${gateway}-${instance}`;
}

/** The parameter that carries a VM's admin password: `FwWebappAdminPassword`. */
export function adminPasswordParameter(vm: string): string {
  return `${pascalName(vm)}AdminPassword`;
}

/** Where a deployment reads a value nothing else supplies: `HubToBranchSharedKey` → `HYBRIDNET_HUB_TO_BRANCH_SHARED_KEY`. */
export function deploymentEnvironmentVariable(parameter: string): string {
  return `HYBRIDNET_${parameter.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** The environment variable a deployment reads a secret parameter from: the one the topology names, else the derived one. */
export function secretEnvironmentVariable(ref: SecretRef, parameter: string): string {
  return 'env' in ref ? ref.env : deploymentEnvironmentVariable(parameter);
}

/** Address space that never leaves for the Internet (data/address-ranges.ts). */
const NON_PUBLIC = NON_PUBLIC_RANGES.map((p) => parsePrefix(p)).flatMap((r) => (r.ok ? [r.value] : []));
const RFC1918 = [...RFC1918_RANGES];

/**
 * What each built-in network object of the firewall stands for: everything, public space, or
 * these ranges. The firewall's trusted networks are its private ranges (an approximation of the
 * box's own setting).
 */
export const FIREWALL_BUILTIN_RANGES: Readonly<Record<(typeof FIREWALL_BUILTIN_OBJECTS)[number], readonly string[] | 'any' | 'internet'>> = {
  Any: 'any',
  Internet: 'internet',
  'Trusted LAN': RFC1918,
  'Trusted Networks': RFC1918,
  'Private 10': ['10.0.0.0/8'],
  'Private 172': ['172.16.0.0/12'],
  'Private 192': ['192.168.0.0/16'],
};

/** What one entry of a firewall rule's source or destination covers: everything, the public Internet, or prefixes (a built-in object's, an address group's, or its own). */
export function firewallEntryCovers(entry: string, fw: Firewall, index: TopologyIndex): 'any' | 'internet' | readonly string[] {
  const builtin = FIREWALL_BUILTIN_RANGES[entry as keyof typeof FIREWALL_BUILTIN_RANGES];
  if (builtin !== undefined) return builtin;
  const group = fw.addressGroups.find((g) => g.name === entry);
  return group ? addressGroupPrefixes(group, index) : [entry];
}

/** The destinations of a firewall rule that lie in public space ("Internet", "Any", or public prefixes). */
export function firewallRulePublicDestinations(rule: FirewallRule, firewall: Firewall, index: TopologyIndex): string[] {
  const out: string[] = [];
  for (const entry of rule.destination) {
    const builtin = FIREWALL_BUILTIN_RANGES[entry as keyof typeof FIREWALL_BUILTIN_RANGES];
    if (builtin === 'internet' || builtin === 'any') out.push(entry);
    else if (builtin) continue;
    else {
      const group = firewall.addressGroups.find((g) => g.name === entry);
      for (const prefix of group ? addressGroupPrefixes(group, index) : [entry]) {
        const parsed = parsePrefix(prefix);
        if (parsed.ok && !NON_PUBLIC.some((n) => contains(n, parsed.value))) out.push(prefix);
      }
    }
  }
  return [...new Set(out)];
}

/**
 * The source address the firewall gives passed traffic: as the rule says, or Dynamic NAT toward
 * public space (Azure translates only the NIC's own private address to its public IP or NAT
 * gateway, so a forwarded packet keeping another source address never gets a reply), and the
 * original source otherwise (the seed's LAN-2-INTERNET rule uses Dynamic NAT).
 */
export function firewallRuleConnection(rule: FirewallRule, firewall: Firewall, index: TopologyIndex): 'dynamic-nat' | 'original-source-ip' {
  return rule.connection ?? (firewallRulePublicDestinations(rule, firewall, index).length > 0 ? 'dynamic-nat' : 'original-source-ip');
}

/** The environment variable main.bicepparam reads the Key Vaults' subscription from (the name azd and many pipelines use); DEPLOY.md exports it. */
export const KEY_VAULT_SUBSCRIPTION_VARIABLE = 'AZURE_SUBSCRIPTION_ID';

/**
 * The topology as Azure names it: `azure.uniqueSuffix` appended (after a hyphen) to the names that
 * must be unique across all of Azure, App Service apps (<app>.azurewebsites.net) and Key Vaults
 * (<vault>.vault.azure.net), wherever the topology names them: the apps, the intents that start
 * from one, every Key Vault reference. The loader applies it, so validation, every generator,
 * deploy and verify see one name per app and vault. Without a suffix, the topology itself.
 */
export function withUniqueSuffix<T extends Topology>(topology: T): T {
  const suffix = topology.azure.uniqueSuffix;
  if (!suffix) return topology;
  const apps = new Map(topology.azure.appServices.map((a) => [a.name, `${a.name}-${suffix}`]));
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = walk(inner);
    const vault = (out as { keyVault?: { vault?: unknown } }).keyVault;
    if (vault && typeof vault.vault === 'string') out.keyVault = { ...vault, vault: `${vault.vault}-${suffix}` };
    return out;
  };
  const renamed = walk(topology) as T;
  return {
    ...renamed,
    azure: { ...renamed.azure, appServices: renamed.azure.appServices.map((a) => ({ ...a, name: apps.get(a.name)! })) },
    intents: renamed.intents.map((i) => ({ ...i, from: apps.get(i.from) ?? i.from })),
  };
}

/**
 * The port an intent without one is about, toward `address`: what verification probes there (a
 * test endpoint's listener, SSH 22 or RDP 3389 by its image; elsewhere what the firewall in `via`
 * passes, else 443). The data plane walks it, the verification plans probe it.
 */
export function probePort(topology: Topology, index: TopologyIndex, via: string | undefined, address: string): number {
  const endpoint = topology.testEndpoints.find((t) => t.privateIp === address);
  return endpoint ? LISTENER_PORTS[endpoint.os] : firewallProbePort(topology, index, via, address);
}

/**
 * The TCP port a connection through firewall `via` toward `address` uses: the first known service
 * of the first rule that passes traffic to it, else 443. Verification plans and the lab probe on it.
 */
export function firewallProbePort(topology: Topology, index: TopologyIndex, via: string | undefined, address: string): number {
  const fw = topology.azure.firewalls.find((f) => f.name === via);
  const target = parsePrefix(`${address}/32`);
  if (!fw || !target.ok) return 443;
  const covers = (entry: string) => {
    const group = fw.addressGroups.find((g) => g.name === entry);
    return (group ? addressGroupPrefixes(group, index) : [entry]).some((t) => {
      const p = parsePrefix(t);
      return p.ok && contains(p.value, target.value);
    });
  };
  const rule = fw.rules.find((r) => r.action !== 'block' && r.destination.some(covers) && r.services.some((svc) => serviceTcpPort(svc) !== undefined));
  return rule ? serviceTcpPort(rule.services.find((svc) => serviceTcpPort(svc) !== undefined)!)! : 443;
}
