/**
 * What Azure Resource Manager would hold after deploying a generated template: each resource as a
 * GET returns it (Microsoft's samples in ../shared/reference/azure-rest show the shapes), by
 * resource id, for the local Resource Manager stand-in to hold and list.
 *
 * The template is the generator's target-shaped form (the same one the ARM JSON and the Bicep are
 * printed from): its expressions are evaluated as Resource Manager evaluates them (parameters,
 * resource ids, a resource's runtime properties, module outputs), and the properties Azure adds
 * are added as Azure adds them:
 * - every resource: id, etag, provisioningState Succeeded; child resources (subnets, IP
 *   configurations) their ids;
 * - a VNet lists its peerings (peeringState Connected when the other side exists too);
 * - a public IP gets an address; a VPN gateway always has bgpSettings (ASN 65515 and one default
 *   BGP address per IP configuration, from GatewaySubnet), BGP enabled or not, as the samples show;
 * - a connection never returns its shared key (Azure gives it only through its own sharedkey
 *   operation); an app's VNet connection gets the certificate App Service generates.
 */
import { formatAddress, parsePrefix } from '@hybridnet/model';
import type { ArmExpression, ArmModule, ArmResource, ArmTemplate, ArmValue } from '@hybridnet/gen-bicep';
import { startArmStandIn, type ArmStandIn, type StandInOptions } from './arm-stand-in.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type AzureResource = { id: string; name: string; type: string; [key: string]: Json };

export interface MaterialiseOptions {
  readonly subscription: string;
  /** The resource group the outer template is deployed into. */
  readonly resourceGroup: string;
  /** Values of parameters without defaults (secure ones included; they never reach a GET). */
  readonly parameters?: Readonly<Record<string, Json>>;
}

interface Scope {
  readonly template: ArmTemplate;
  readonly group: string;
  readonly parameters: (name: string) => Json;
}

/** Every resource the deployment creates, as Azure returns it, by resource id (letter case as given). */
export function materialise(template: ArmTemplate, options: MaterialiseOptions): Map<string, AzureResource> {
  const built = new Map<string, AzureResource>();
  const bySymbol = new Map<string, { resource: ArmResource; scope: Scope }>();
  const runtime = new Map<string, AzureResource>();
  let nextIp = 1;
  const publicInputs = new Map<string, string>();

  const scopeOf = (t: ArmTemplate, group: string, values: (name: string) => Json | undefined): Scope => {
    const scope: Scope = {
      template: t,
      group,
      parameters: (name) => {
        const declared = t.parameters.find((p) => p.name === name);
        const given = values(name);
        if (given !== undefined) return given;
        if (declared?.default !== undefined) return evaluate(declared.default, scope);
        // A device's public IP known only after its own deployment: an address, as the user gives it.
        const givenByUser = options.parameters?.[name];
        if (givenByUser !== undefined) return givenByUser;
        if (!name.endsWith('PublicIp')) return `${name}-value`;
        // One address per parameter, in the order they are first read.
        if (!publicInputs.has(name)) publicInputs.set(name, `198.51.100.${publicInputs.size + 10}`);
        return publicInputs.get(name)!;
      },
    };
    for (const r of t.resources) bySymbol.set(r.symbol, { resource: r, scope });
    for (const m of t.modules) {
      const inner = scopeOf(m.template, m.resourceGroup, (name) => (m.parameters[name] === undefined ? undefined : evaluate(m.parameters[name]!, scope)));
      modules.set(m.symbol, { module: m, scope: inner });
    }
    return scope;
  };
  const modules = new Map<string, { module: ArmModule; scope: Scope }>();

  const idOf = (type: string, names: readonly string[], group: string): string => {
    const [namespace, ...types] = type.split('/');
    return `/subscriptions/${options.subscription}/resourceGroups/${group}/providers/${namespace}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
  };
  const resourceIdOf = (r: ArmResource, scope: Scope): string => {
    const names: string[] = [];
    for (let x: ArmResource | undefined = r; x; x = x.parent ? bySymbol.get(x.parent)!.resource : undefined) names.unshift(...x.name.split('/'));
    return idOf(r.type, names, scope.group);
  };

  function evaluate(value: ArmValue, scope: Scope): Json {
    if (value === null || typeof value !== 'object') return value as Json;
    if (Array.isArray(value)) return value.map((v) => evaluate(v as ArmValue, scope));
    if (typeof (value as { $?: unknown }).$ === 'string') return expression(value as ArmExpression, scope);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v as ArmValue, scope)]));
  }
  function expression(e: ArmExpression, scope: Scope): Json {
    switch (e.$) {
      case 'param':
        return scope.parameters(e.name);
      case 'resourceId':
        return idOf(e.type, e.names.map((n) => String(evaluate(n, scope))), e.group ?? scope.group);
      case 'format':
        return e.template.replace(/\{(\d+)\}/g, (_, n: string) => String(evaluate(e.args[Number(n)]!, scope)));
      case 'property':
        return at(resourceOf(e.symbol).properties as Json, e.path);
      case 'moduleOutput': {
        const m = modules.get(e.module)!;
        return evaluate(m.module.template.outputs.find((o) => o.name === e.output)!.value, m.scope);
      }
      case 'firstWhere': {
        const list = expression(e.array, scope) as { [k: string]: Json }[];
        return at(list.find((x) => String(x[e.field]).endsWith(e.suffix)) as Json, e.path);
      }
    }
  }
  const at = (value: Json, path: readonly (string | number)[]): Json => path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, value);

  /** A resource as Azure returns it, built once (a property of one may be read by another). */
  function resourceOf(symbol: string): AzureResource {
    const done = runtime.get(symbol);
    if (done) return done;
    const { resource: r, scope } = bySymbol.get(symbol)!;
    const id = resourceIdOf(r, scope);
    const properties = evaluate(r.properties, scope) as { [k: string]: Json };
    const out: AzureResource = {
      id,
      name: r.name.split('/').at(-1)!,
      type: r.type,
      etag: 'W/"00000000-0000-0000-0000-000000000000"',
      ...(r.location ? { location: String(scope.parameters(r.location === true ? 'location' : r.location)) } : {}),
      ...(r.sku !== undefined ? { sku: evaluate(r.sku, scope) } : {}),
      ...(r.kind ? { kind: r.kind } : {}),
      ...(r.plan !== undefined ? { plan: evaluate(r.plan, scope) } : {}),
      ...(r.zones ? { zones: [...r.zones] } : {}),
      properties: { ...azureAdds(r.type, id, properties), provisioningState: 'Succeeded' },
    };
    runtime.set(symbol, out);
    return out;
  }

  /** What Azure adds to what was deployed. */
  function azureAdds(type: string, id: string, p: { [k: string]: Json }): { [k: string]: Json } {
    const child = (kind: string) => (x: Json) => {
      const c = x as { name: string; properties?: { [k: string]: Json } };
      return { ...c, id: `${id}/${kind}/${c.name}`, etag: 'W/"00000000-0000-0000-0000-000000000000"', properties: { ...c.properties, provisioningState: 'Succeeded' } };
    };
    switch (type) {
      case 'Microsoft.Network/publicIPAddresses':
        return { ...p, ipAddress: `20.50.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}` };
      case 'Microsoft.Network/virtualNetworks':
        return { ...p, subnets: ((p.subnets ?? []) as Json[]).map((s) => ({ ...(child('subnets')(s) as object), type: 'Microsoft.Network/virtualNetworks/subnets' })), virtualNetworkPeerings: [] };
      case 'Microsoft.Network/virtualNetworkGateways': {
        const configs = ((p.ipConfigurations ?? []) as Json[]).map(child('ipConfigurations')) as { id: string; properties: { subnet?: { id: string }; publicIPAddress?: { id: string } } }[];
        if (p.gatewayType !== 'Vpn') return { ...p, ipConfigurations: configs };
        const given = (p.bgpSettings ?? {}) as { asn?: number; bgpPeeringAddresses?: { ipconfigurationId: string; customBgpIpAddresses?: string[] }[] };
        const subnet = prefixOfSubnet(configs[0]?.properties.subnet?.id);
        const defaults = configs.map((_, i) => (subnet ? formatAddress(subnet.last - 1n - BigInt(i), 4) : `10.255.255.${250 - i}`));
        return {
          ...p,
          ipConfigurations: configs,
          bgpSettings: {
            asn: given.asn ?? 65515,
            bgpPeeringAddress: defaults.join(','),
            peerWeight: 0,
            bgpPeeringAddresses: configs.map((c, i) => ({
              ipconfigurationId: c.id,
              defaultBgpIpAddresses: [defaults[i]!],
              customBgpIpAddresses: given.bgpPeeringAddresses?.find((b) => b.ipconfigurationId.toLowerCase() === c.id.toLowerCase())?.customBgpIpAddresses ?? [],
              tunnelIpAddresses: [],
            })),
          } as Json,
        };
      }
      case 'Microsoft.Network/connections': {
        const { sharedKey: _key, ...rest } = p;
        return { ...rest, connectionStatus: 'Connected' };
      }
      case 'Microsoft.Network/networkInterfaces':
        return { ...p, ipConfigurations: ((p.ipConfigurations ?? []) as Json[]).map(child('ipConfigurations')) };
      case 'Microsoft.Network/routeTables':
        return { ...p, routes: ((p.routes ?? []) as Json[]).map(child('routes')) };
      case 'Microsoft.Network/networkSecurityGroups':
        return { ...p, securityRules: ((p.securityRules ?? []) as Json[]).map(child('securityRules')) };
      case 'Microsoft.Web/sites/virtualNetworkConnections':
        return { ...p, certBlob: Buffer.from(`certificate of ${id}`).toString('base64') };
      default:
        return p;
    }
  }
  const prefixOfSubnet = (subnetId: string | undefined) => {
    if (!subnetId) return undefined;
    const vnet = [...runtime.values()].find((r) => subnetId.toLowerCase().startsWith(`${r.id.toLowerCase()}/subnets/`));
    const subnet = ((vnet?.properties as { subnets?: { id: string; properties: { addressPrefix?: string; addressPrefixes?: string[] } }[] })?.subnets ?? []).find((s) => s.id.toLowerCase() === subnetId.toLowerCase());
    const parsed = parsePrefix(subnet?.properties.addressPrefix ?? subnet?.properties.addressPrefixes?.[0] ?? '');
    return parsed.ok ? parsed.value : undefined;
  };

  scopeOf(template, options.resourceGroup, () => undefined);
  // VNets first: a gateway's default BGP addresses come from its GatewaySubnet.
  const symbols = [...bySymbol.keys()].sort((a, b) => Number(bySymbol.get(b)!.resource.type.endsWith('/virtualNetworks')) - Number(bySymbol.get(a)!.resource.type.endsWith('/virtualNetworks')));
  for (const symbol of symbols) {
    const r = resourceOf(symbol);
    built.set(r.id, r);
  }
  // A NIC names the VM it is attached to.
  for (const vm of built.values()) {
    if (vm.type !== 'Microsoft.Compute/virtualMachines') continue;
    for (const ref of ((vm.properties as { networkProfile?: { networkInterfaces?: { id: string }[] } }).networkProfile?.networkInterfaces ?? [])) {
      const nic = built.get(ref.id);
      if (nic) (nic.properties as { [k: string]: Json }).virtualMachine = { id: vm.id };
    }
  }
  // A VNet lists its peerings, each Connected when the other side exists.
  for (const r of built.values()) {
    if (r.type !== 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings') continue;
    const vnet = built.get(r.id.slice(0, r.id.lastIndexOf('/virtualNetworkPeerings/')))!;
    const remote = (r.properties as { remoteVirtualNetwork: { id: string } }).remoteVirtualNetwork.id;
    const back = [...built.values()].some((x) => x.type === r.type && x.id.toLowerCase().startsWith(`${remote.toLowerCase()}/`) && (x.properties as { remoteVirtualNetwork: { id: string } }).remoteVirtualNetwork.id.toLowerCase() === vnet.id.toLowerCase());
    const remoteSpace = (built.get(remote)?.properties as { addressSpace?: Json } | undefined)?.addressSpace ?? null;
    const peering = { ...r, properties: { ...(r.properties as object), peeringState: back ? 'Connected' : 'Initiated', remoteAddressSpace: remoteSpace } };
    built.set(r.id, peering);
    ((vnet.properties as { virtualNetworkPeerings: Json[] }).virtualNetworkPeerings).push(peering);
  }
  return built;
}

/** The resource groups a deployment creates, as Azure returns them. */
export function resourceGroupsOf(resources: Iterable<AzureResource>, subscription: string, location: string): Map<string, AzureResource> {
  const groups = new Map<string, AzureResource>();
  for (const r of resources) {
    const name = /\/resourceGroups\/([^/]+)\//i.exec(r.id)![1]!;
    const id = `/subscriptions/${subscription}/resourceGroups/${name}`;
    groups.set(id, { id, name, type: 'Microsoft.Resources/resourceGroups', location, properties: { provisioningState: 'Succeeded' } });
  }
  return groups;
}

/**
 * The local Resource Manager holding what deploying a topology's template would leave in Azure
 * (its resources and their resource groups), its lists answering from that.
 */
export async function estateStandIn(template: ArmTemplate, options: MaterialiseOptions & { readonly location: string; readonly change?: (held: Map<string, AzureResource>) => void } & Omit<StandInOptions, 'existing' | 'listHeld'>): Promise<{ standIn: ArmStandIn; resources: Map<string, AzureResource> }> {
  const resources = materialise(template, options);
  // A test's change to what Azure holds (a resource added, one moved to another group) before it is served.
  const held = new Map<string, AzureResource>([...resources].map(([id, r]) => [id.toLowerCase(), r]));
  options.change?.(held);
  const groups = resourceGroupsOf(held.values(), options.subscription, options.location);
  const standIn = await startArmStandIn({ ...options, listHeld: true, existing: new Map<string, unknown>([...groups, ...held]) });
  return { standIn, resources: held };
}
