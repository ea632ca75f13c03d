/**
 * What an intent's endpoint text names. Names are looked up first (a test endpoint, App Service,
 * site, VNet or the group of one firewall), then `vnet/subnet` and `firewall/group`, then a prefix
 * or a single address (`10.1.2.3` stands for `10.1.2.3/32`).
 */
import { parseIp, parsePrefix } from './cidr.ts';
import { AZURE_LOAD_BALANCER_PREFIX } from './data/nsg.ts';
import type { TopologyIndex } from './link.ts';

export type IntentTarget =
  | { readonly kind: 'test-endpoint'; readonly name: string }
  | { readonly kind: 'subnet'; readonly vnet: string; readonly subnet: string }
  | { readonly kind: 'app-service'; readonly name: string }
  | { readonly kind: 'site'; readonly name: string }
  | { readonly kind: 'vnet'; readonly name: string }
  | { readonly kind: 'address-group'; readonly firewall: string; readonly group: string }
  | { readonly kind: 'prefix'; readonly prefix: string };

export type IntentTargetResult = { ok: true; value: IntentTarget } | { ok: false; message: string; candidates: string[]; hint?: string };

export function resolveIntentEndpoint(text: string, index: TopologyIndex): IntentTargetResult {
  if (index.testEndpoints.has(text)) return { ok: true, value: { kind: 'test-endpoint', name: text } };
  if (index.appServices.has(text)) return { ok: true, value: { kind: 'app-service', name: text } };
  if (index.sites.has(text)) return { ok: true, value: { kind: 'site', name: text } };
  if (index.vnets.has(text)) return { ok: true, value: { kind: 'vnet', name: text } };
  const groups = [...index.firewalls.values()].flatMap((f) => f.value.addressGroups.map((g) => ({ firewall: f.value.name, group: g.name })));
  const named = groups.filter((g) => g.group === text);
  if (named.length === 1) return { ok: true, value: { kind: 'address-group', ...named[0]! } };
  if (named.length > 1) return { ok: false, message: `address group "${text}" exists in firewalls ${named.map((g) => `"${g.firewall}"`).join(', ')}; say which`, candidates: named.map((g) => `${g.firewall}/${g.group}`) };
  const slash = text.indexOf('/');
  if (slash > 0 && !/^\d+$/.test(text.slice(slash + 1))) {
    const [outer, inner] = [text.slice(0, slash), text.slice(slash + 1)];
    if (index.subnets.get(outer)?.has(inner)) return { ok: true, value: { kind: 'subnet', vnet: outer, subnet: inner } };
    if (groups.some((g) => g.firewall === outer && g.group === inner)) return { ok: true, value: { kind: 'address-group', firewall: outer, group: inner } };
  } else if (slash > 0) {
    const parsed = parsePrefix(text);
    if (parsed.ok) return { ok: true, value: { kind: 'prefix', prefix: parsed.value.text } };
    return { ok: false, message: `"${text}" is not a prefix in network form: ${parsed.problem.message}`, candidates: [], hint: parsed.problem.hint };
  } else {
    const ip = parseIp(text);
    if (ip.ok) return { ok: true, value: { kind: 'prefix', prefix: `${ip.value.text}/${ip.value.version === 4 ? 32 : 128}` } };
  }
  const subnets = [...index.subnets].flatMap(([vnet, s]) => [...s.keys()].map((name) => `${vnet}/${name}`));
  return {
    ok: false,
    message: `"${text}" names no test endpoint, subnet (vnet/subnet), App Service, site, VNet or address group, and is not a prefix or address`,
    candidates: [...index.testEndpoints.keys(), ...index.appServices.keys(), ...index.sites.keys(), ...index.vnets.keys(), ...subnets, ...groups.map((g) => g.group)],
  };
}

/** The prefixes a security rule's entry stands for (a service tag other than VirtualNetwork and Internet, or a name from the topology). */
export function endpointPrefixes(text: string, index: TopologyIndex): string[] {
  if (text === 'AzureLoadBalancer') return [AZURE_LOAD_BALANCER_PREFIX];
  const resolved = resolveIntentEndpoint(text, index);
  if (!resolved.ok) return [];
  const e = resolved.value;
  switch (e.kind) {
    case 'prefix':
      return [e.prefix];
    case 'subnet': {
      const s = index.subnets.get(e.vnet)!.get(e.subnet)!.value;
      return s.ipv6Prefix ? [s.prefix, s.ipv6Prefix] : [s.prefix];
    }
    case 'vnet':
      return [...index.vnets.get(e.name)!.value.addressSpace];
    case 'site':
      return [...index.sites.get(e.name)!.value.lan];
    case 'test-endpoint': {
      const t = index.testEndpoints.get(e.name)!.value;
      if (t.privateIp) return [`${t.privateIp}/32`];
      if ('vnet' in t.attach) return [index.subnets.get(t.attach.vnet)!.get(t.attach.subnet)!.value.prefix];
      return [...index.sites.get(t.attach.site)!.value.lan];
    }
    case 'address-group': {
      const fw = index.firewalls.get(e.firewall)!.value;
      const group = fw.addressGroups.find((g) => g.name === e.group)!;
      return [...group.prefixes, ...group.objects.flatMap((o) => index.vnets.get(o)?.value.addressSpace ?? index.vpnGateways.get(o)?.value.pointToSite?.addressPool ?? index.sites.get(o)?.value.lan ?? [])];
    }
    default:
      return [];
  }
}
