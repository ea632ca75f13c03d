/**
 * Linking: names are unique, and every name used as a reference points at an object of the
 * expected kind. The result is an index from names to objects (with their model paths) that the
 * validator and generators use instead of searching lists.
 *
 * Top-level objects (VNets, gateways, Route Servers, route tables, firewalls, App Services,
 * sites, connections, peerings, test endpoints) share one namespace, because address groups and
 * diagnostics refer to them by bare name. Subnets are unique within their VNet, routes within
 * their route table, address groups and rules within their firewall.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic, ModelPath } from './diagnostics.ts';
import { parsePrefix } from './cidr.ts';
import { resolveIntentEndpoint } from './intent-endpoints.ts';
import type { AppService, ExpressRouteGateway, Firewall, NetworkSecurityGroup, Peering, RouteServer, RouteTable, Subnet, Vnet, VpnGateway } from './schema/azure.ts';
import { NSG_SERVICE_TAGS } from './data/nsg.ts';
import { FIREWALL_SERVICES } from './data/firewall-services.ts';
import type { Connection, Site, TestEndpoint } from './schema/onprem.ts';
import type { Topology } from './schema/topology.ts';

export interface Entry<T> {
  readonly value: T;
  readonly path: ModelPath;
}
export interface GatewayEntry<T> extends Entry<T> {
  readonly vnet: Vnet;
}

export interface TopologyIndex {
  readonly vnets: ReadonlyMap<string, Entry<Vnet>>;
  readonly subnets: ReadonlyMap<string, ReadonlyMap<string, Entry<Subnet>>>;
  readonly vpnGateways: ReadonlyMap<string, GatewayEntry<VpnGateway>>;
  readonly expressRouteGateways: ReadonlyMap<string, GatewayEntry<ExpressRouteGateway>>;
  readonly routeServers: ReadonlyMap<string, GatewayEntry<RouteServer>>;
  readonly routeTables: ReadonlyMap<string, Entry<RouteTable>>;
  readonly firewalls: ReadonlyMap<string, Entry<Firewall>>;
  readonly appServices: ReadonlyMap<string, Entry<AppService>>;
  readonly peerings: ReadonlyMap<string, Entry<Peering>>;
  readonly sites: ReadonlyMap<string, Entry<Site>>;
  readonly connections: ReadonlyMap<string, Entry<Connection>>;
  readonly testEndpoints: ReadonlyMap<string, Entry<TestEndpoint>>;
  readonly networkSecurityGroups: ReadonlyMap<string, Entry<NetworkSecurityGroup>>;
  /** For each VNet, the VNets peered to it with gateway transit from it, in peering order. */
  readonly transitSpokes: ReadonlyMap<string, readonly string[]>;
}

/** Built-in Barracuda network objects a rule may name without defining them. */
export const FIREWALL_BUILTIN_OBJECTS = ['Any', 'Trusted LAN', 'Trusted Networks', 'Internet', 'Private 10', 'Private 172', 'Private 192'] as const;

const KIND_LABEL = {
  vnets: 'VNet',
  vpnGateways: 'VPN gateway',
  expressRouteGateways: 'ExpressRoute gateway',
  routeServers: 'Route Server',
  routeTables: 'route table',
  firewalls: 'firewall',
  appServices: 'App Service',
  peerings: 'peering',
  sites: 'site',
  connections: 'connection',
  testEndpoints: 'test endpoint',
  networkSecurityGroups: 'network security group',
} as const;
type Kind = keyof typeof KIND_LABEL;

export function linkTopology(topology: Topology): { index: TopologyIndex; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const global = new Map<string, { kind: Kind; path: ModelPath }>();
  // Names that differ only in case or punctuation become the same Bicep symbol, template
  // parameter, output folder (on Windows and macOS) or PowerShell hash key: one per folded form.
  const folded = new Map<string, { name: string; kind: Kind; path: ModelPath }>();
  const maps = Object.fromEntries(Object.keys(KIND_LABEL).map((k) => [k, new Map()])) as Record<Kind, Map<string, Entry<unknown> & { vnet?: Vnet }>>;
  const subnets = new Map<string, Map<string, Entry<Subnet>>>();

  const declare = <T>(kind: Kind, value: T & { name: string }, path: ModelPath, vnet?: Vnet) => {
    const previous = global.get(value.name);
    if (previous) {
      diagnostics.push(duplicate(value.name, [...path, 'name'], `the ${KIND_LABEL[previous.kind]} at ${pathText(previous.path)}`));
      return;
    }
    global.set(value.name, { kind, path });
    const key = foldName(value.name);
    const twin = folded.get(key);
    if (twin) diagnostics.push(collision(value.name, [...path, 'name'], `the ${KIND_LABEL[twin.kind]} "${twin.name}" at ${pathText(twin.path)}`));
    else folded.set(key, { name: value.name, kind, path });
    maps[kind].set(value.name, { value, path, ...(vnet ? { vnet } : {}) });
  };
  const unique = <T extends { name: string }>(items: readonly T[], base: ModelPath, what: string, within: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.name);
      if (first !== undefined) diagnostics.push(duplicate(item.name, [...base, i, 'name'], `${what} ${pathText([...base, first])} of ${within}`));
      else seen.set(item.name, i);
    });
  };

  const { azure } = topology;
  azure.vnets.forEach((vnet, v) => {
    const path = ['azure', 'vnets', v];
    declare('vnets', vnet, path);
    unique(vnet.subnets, [...path, 'subnets'], 'the subnet', `VNet "${vnet.name}"`);
    if (!subnets.has(vnet.name)) subnets.set(vnet.name, new Map(vnet.subnets.map((s, i) => [s.name, { value: s, path: [...path, 'subnets', i] }])));
    if (vnet.vpnGateway) declare('vpnGateways', vnet.vpnGateway, [...path, 'vpnGateway'], vnet);
    if (vnet.expressRouteGateway) declare('expressRouteGateways', vnet.expressRouteGateway, [...path, 'expressRouteGateway'], vnet);
    if (vnet.routeServer) {
      declare('routeServers', vnet.routeServer, [...path, 'routeServer'], vnet);
      unique(vnet.routeServer.peers, [...path, 'routeServer', 'peers'], 'the peer', `Route Server "${vnet.routeServer.name}"`);
    }
  });
  azure.peerings.forEach((p, i) => declare('peerings', p, ['azure', 'peerings', i]));
  azure.routeTables.forEach((rt, i) => {
    declare('routeTables', rt, ['azure', 'routeTables', i]);
    unique(rt.routes, ['azure', 'routeTables', i, 'routes'], 'the route', `route table "${rt.name}"`);
  });
  azure.firewalls.forEach((fw, i) => {
    declare('firewalls', fw, ['azure', 'firewalls', i]);
    unique(fw.addressGroups, ['azure', 'firewalls', i, 'addressGroups'], 'the address group', `firewall "${fw.name}"`);
    unique(fw.rules, ['azure', 'firewalls', i, 'rules'], 'the rule', `firewall "${fw.name}"`);
  });
  azure.appServices.forEach((app, i) => declare('appServices', app, ['azure', 'appServices', i]));
  azure.networkSecurityGroups.forEach((nsg, i) => {
    declare('networkSecurityGroups', nsg, ['azure', 'networkSecurityGroups', i]);
    unique(nsg.rules, ['azure', 'networkSecurityGroups', i, 'rules'], 'the rule', `network security group "${nsg.name}"`);
  });
  topology.sites.forEach((site, i) => declare('sites', site, ['sites', i]));
  topology.connections.forEach((c, i) => declare('connections', c, ['connections', i]));
  topology.testEndpoints.forEach((t, i) => declare('testEndpoints', t, ['testEndpoints', i]));

  const transitSpokes = new Map<string, string[]>();
  for (const p of azure.peerings) {
    if (p.gatewayTransitFrom === undefined) continue;
    const spokes = transitSpokes.get(p.gatewayTransitFrom) ?? transitSpokes.set(p.gatewayTransitFrom, []).get(p.gatewayTransitFrom)!;
    spokes.push(p.vnets[0] === p.gatewayTransitFrom ? p.vnets[1] : p.vnets[0]);
  }
  const index = { ...maps, subnets, transitSpokes } as unknown as TopologyIndex;

  // References.
  const ref = (name: string, path: ModelPath, ...kinds: Kind[]) => {
    if (kinds.some((k) => maps[k].has(name))) return true;
    const other = global.get(name);
    const wanted = kinds.map((k) => KIND_LABEL[k]).join(' or ');
    const candidates = kinds.flatMap((k) => [...maps[k].keys()]);
    diagnostics.push(unknownReference(path, other ? `"${name}" is a ${KIND_LABEL[other.kind]}, not a ${wanted}` : `no ${wanted} is named "${name}"`, name, candidates));
    return false;
  };
  const subnetRef = (vnet: string, subnet: string, path: ModelPath) => {
    if (!ref(vnet, [...path, 'vnet'], 'vnets')) return;
    const inVnet = subnets.get(vnet)!;
    if (!inVnet.has(subnet)) diagnostics.push(unknownReference([...path, 'subnet'], `VNet "${vnet}" has no subnet named "${subnet}"`, subnet, [...inVnet.keys()]));
  };

  azure.vnets.forEach((vnet, v) =>
    vnet.subnets.forEach((s, i) => {
      if (s.routeTable) ref(s.routeTable, ['azure', 'vnets', v, 'subnets', i, 'routeTable'], 'routeTables');
      if (s.networkSecurityGroup) ref(s.networkSecurityGroup, ['azure', 'vnets', v, 'subnets', i, 'networkSecurityGroup'], 'networkSecurityGroups');
    }),
  );
  azure.peerings.forEach((p, i) => {
    p.vnets.forEach((name, j) => ref(name, ['azure', 'peerings', i, 'vnets', j], 'vnets'));
    if (p.gatewayTransitFrom && !p.vnets.includes(p.gatewayTransitFrom)) {
      diagnostics.push(unknownReference(['azure', 'peerings', i, 'gatewayTransitFrom'], `"${p.gatewayTransitFrom}" is not one of the peered VNets`, p.gatewayTransitFrom, [...p.vnets]));
    }
  });
  azure.routeTables.forEach((rt, i) =>
    rt.routes.forEach((route, j) => {
      if (typeof route.nextHop === 'object') ref(route.nextHop.virtualAppliance, ['azure', 'routeTables', i, 'routes', j, 'nextHop', 'virtualAppliance'], 'firewalls');
    }),
  );
  azure.firewalls.forEach((fw, i) => {
    const path = ['azure', 'firewalls', i];
    subnetRef(fw.vnet, fw.subnet, path);
    if (fw.networkSecurityGroup) ref(fw.networkSecurityGroup, [...path, 'networkSecurityGroup'], 'networkSecurityGroups');
    fw.addressGroups.forEach((g, j) => g.objects.forEach((o, k) => ref(o, [...path, 'addressGroups', j, 'objects', k], 'vnets', 'vpnGateways', 'sites')));
    const groups = fw.addressGroups.map((g) => g.name);
    // Services: the built-in service objects whose ports hybridnet knows (data/firewall-services.ts).
    fw.rules.forEach((rule, j) =>
      rule.services.forEach((service, k) => {
        if (!(service in FIREWALL_SERVICES)) diagnostics.push(unknownReference([...path, 'rules', j, 'services', k], `"${service}" is not a service object hybridnet knows the ports of (${Object.keys(FIREWALL_SERVICES).join(', ')})`, service, Object.keys(FIREWALL_SERVICES)));
      }),
    );
    fw.rules.forEach((rule, j) =>
      (['source', 'destination'] as const).forEach((side) =>
        rule[side].forEach((entry, k) => {
          if (groups.includes(entry) || (FIREWALL_BUILTIN_OBJECTS as readonly string[]).includes(entry)) return;
          if (/^[0-9a-fA-F:.]+\/\d+$/.test(entry)) {
            const parsed = parsePrefix(entry);
            if (!parsed.ok) diagnostics.push({ code: `hybridnet/model/${parsed.problem.code}`, severity: 'error', message: parsed.problem.message, hint: parsed.problem.hint, path: [...path, 'rules', j, side, k] });
            return;
          }
          diagnostics.push(unknownReference([...path, 'rules', j, side, k], `"${entry}" is neither an address group of firewall "${fw.name}", a built-in object (${FIREWALL_BUILTIN_OBJECTS.join(', ')}), nor a prefix`, entry, [...groups, ...FIREWALL_BUILTIN_OBJECTS]));
        }),
      ),
    );
  });
  azure.appServices.forEach((app, i) => {
    const path = ['azure', 'appServices', i, 'integration'];
    if (app.integration.type === 'regional') subnetRef(app.integration.vnet, app.integration.subnet, path);
    else ref(app.integration.vnet, [...path, 'vnet'], 'vnets');
  });
  topology.sites.forEach((site, i) => {
    if (site.device.type === 'azure-vpn-gateway') ref(site.device.gateway, ['sites', i, 'device', 'gateway'], 'vpnGateways');
    if (site.hosting.type === 'azure') ref(site.hosting.vnet, ['sites', i, 'hosting', 'vnet'], 'vnets');
  });
  topology.connections.forEach((c, i) => {
    const path = ['connections', i];
    if (c.type === 'site-to-site') {
      ref(c.gateway, [...path, 'gateway'], 'vpnGateways');
      ref(c.site, [...path, 'site'], 'sites');
    } else if (c.type === 'vnet-to-vnet') {
      c.gateways.forEach((g, j) => ref(g, [...path, 'gateways', j], 'vpnGateways'));
    } else {
      ref(c.gateway, [...path, 'gateway'], 'expressRouteGateways');
      ref(c.site, [...path, 'site'], 'sites');
    }
  });
  topology.testEndpoints.forEach((t, i) => {
    if ('site' in t.attach) ref(t.attach.site, ['testEndpoints', i, 'attach', 'site'], 'sites');
    else subnetRef(t.attach.vnet, t.attach.subnet, ['testEndpoints', i, 'attach']);
    if (t.networkSecurityGroup) ref(t.networkSecurityGroup, ['testEndpoints', i, 'networkSecurityGroup'], 'networkSecurityGroups');
  });
  // A security rule's ends: a service tag, or what an intent's endpoints name (an app excepted).
  azure.networkSecurityGroups.forEach((nsg, i) =>
    nsg.rules.forEach((rule, j) =>
      (['source', 'destination'] as const).forEach((side) =>
        rule[side].forEach((text, k) => {
          if ((NSG_SERVICE_TAGS as readonly string[]).includes(text)) return;
          const path = ['azure', 'networkSecurityGroups', i, 'rules', j, side, k];
          const resolved = resolveIntentEndpoint(text, index);
          if (!resolved.ok) diagnostics.push({ ...unknownReference(path, `${resolved.message.replace(/^"[^"]*" names no /, `"${text}" is no service tag (${NSG_SERVICE_TAGS.join(', ')}), `)}`, text, [...NSG_SERVICE_TAGS, ...resolved.candidates]), ...(resolved.hint ? { hint: resolved.hint } : {}) });
          else if (resolved.value.kind === 'app-service') diagnostics.push(unknownReference(path, `"${text}" is an App Service app: a security rule names addresses (its integration subnet or the gateway's point-to-site pool)`, text, [...NSG_SERVICE_TAGS]));
        }),
      ),
    ),
  );
  // Intents have names of their own (`routes --trace <intent>`); their endpoints name anything.
  unique(topology.intents, ['intents'], 'the intent', 'the topology');
  topology.intents.forEach((intent, i) => {
    const endpoint = (text: string, path: ModelPath) => {
      const resolved = resolveIntentEndpoint(text, index);
      if (!resolved.ok) diagnostics.push({ ...unknownReference(path, resolved.message, text, resolved.candidates), ...(resolved.hint ? { hint: resolved.hint } : {}) });
    };
    endpoint(intent.from, ['intents', i, 'from']);
    intent.to.forEach((t, j) => endpoint(t, ['intents', i, 'to', j]));
    if (intent.kind !== 'isolate' && intent.via) ref(intent.via, ['intents', i, 'via'], 'firewalls');
  });

  return { index, diagnostics };
}

function pathText(path: ModelPath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

/** A name as the identifiers derived from it see it: letters and digits only, any case. */
export function foldName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

function collision(name: string, path: ModelPath, first: string): Diagnostic {
  return {
    code: 'hybridnet/model/name-collision',
    severity: 'error',
    message: `the name "${name}" differs from ${first} only in case or punctuation, so both would get the same Bicep symbol, template parameter, output folder or script key`,
    hint: 'names must differ in their letters or digits, not only in case, "-", "_" or "."',
    path,
  };
}

function duplicate(name: string, path: ModelPath, first: string): Diagnostic {
  return { code: 'hybridnet/model/duplicate-name', severity: 'error', message: `the name "${name}" is already used by ${first}`, hint: 'give each object its own name; generated resource names derive from it', path };
}

function unknownReference(path: ModelPath, message: string, name: string, candidates: readonly string[]): Diagnostic {
  const suggestion = candidates.length > 0 ? closest(name, [...candidates]) : undefined;
  const near = suggestion !== undefined && distance(name, suggestion) <= Math.max(2, Math.floor(name.length / 3));
  return {
    code: 'hybridnet/model/unknown-reference',
    severity: 'error',
    message,
    hint: near ? `did you mean "${suggestion}"?` : candidates.length > 0 ? `known: ${[...candidates].sort().slice(0, 8).join(', ')}` : 'declare the object first',
    path,
  };
}
