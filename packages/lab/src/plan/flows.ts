/**
 * The traffic `lab test` sends for each intent: for every target, one TCP connection from a host
 * at the source to a host at the target (a symmetric intent also the other way). A test endpoint
 * stands for its place when there is one; otherwise the lab adds a host there: in the subnet, on
 * the site's LAN, at the address a prefix names, on the Internet for a public address. The port is
 * the intent's own, else the target's listener (22 or 3389 on a test endpoint), or for the
 * Internet the port the firewall's rule passes (the same choice verification plans and the data
 * plane make).
 */
import { addressGroupPrefixes, firewallProbePort, parsePrefix, resolveIntentEndpoint, type Intent } from '@hybridnet/model';
import type { LabFlow } from '../ir.ts';
import type { HostLab, PlanContext, Segment } from './context.ts';
import { freeIn } from './gateways.ts';
import { contains, internetHost, placeHost } from './hosts.ts';

const INFRASTRUCTURE = new Set(['GatewaySubnet', 'RouteServerSubnet', 'AzureFirewallSubnet', 'AzureBastionSubnet']);

type Placed = { host: HostLab } | { problem: string };

export function planFlows(ctx: PlanContext): LabFlow[] {
  const flows: LabFlow[] = [];
  ctx.topology.intents.forEach((intent, i) => {
    const from = place(ctx, intent, intent.from, 'source');
    if ('problem' in from) {
      ctx.notes.add(`intent "${intent.name}": ${from.problem}; not tested`);
      return;
    }
    // The lab sends TCP: an intent about ICMP or UDP is the data plane's alone.
    if (intent.protocol !== 'tcp') {
      ctx.notes.add(`intent "${intent.name}": ${intent.protocol.toUpperCase()} is not sent by the lab (it sends TCP connections); not tested`);
      return;
    }
    intent.to.forEach((target) => {
      const placed = place(ctx, intent, target, 'target');
      // On the intent's own port when it names one: the target listens there too.
      const to = 'host' in placed && intent.port !== undefined ? { host: ensureListening(ctx, { ...placed.host, port: intent.port }) } : placed;
      if ('problem' in to) {
        ctx.notes.add(`intent "${intent.name}" to ${target}: ${to.problem}; not tested`);
        return;
      }
      const firewall = intent.kind !== 'isolate' ? intent.via : undefined;
      const via = firewall ? ctx.firewalls.get(firewall) : undefined;
      const flow = (direction: LabFlow['direction'], a: HostLab, z: HostLab): LabFlow => ({
        id: flows.length,
        intent: intent.name,
        kind: intent.kind,
        direction,
        target,
        from: { node: a.node, address: a.address, label: a.label },
        to: { node: z.node, address: z.address, label: z.label, port: z.port },
        via: via && firewall ? { firewall, node: via.node } : null,
      });
      flows.push(flow('forward', from.host, to.host));
      if (intent.kind === 'symmetric' && !ctx.apps.has(intent.from)) {
        const back = ensureListening(ctx, intent.port !== undefined ? { ...from.host, port: intent.port } : from.host);
        flows.push(flow('reverse', to.host, back));
      }
    });
    void i;
  });
  return flows;
}

function ensureListening(ctx: PlanContext, host: HostLab): HostLab {
  const node = ctx.b.get(host.node);
  if (!node.listen.includes(host.port)) node.listen.push(host.port);
  return host;
}

/** A host standing for an intent's endpoint. */
function place(ctx: PlanContext, intent: Intent, text: string, role: 'source' | 'target'): Placed {
  const resolved = resolveIntentEndpoint(text, ctx.index);
  if (!resolved.ok) return { problem: resolved.message };
  const e = resolved.value;
  switch (e.kind) {
    case 'test-endpoint': {
      const host = ctx.endpoints.get(e.name);
      return host ? { host } : { problem: `test endpoint ${e.name} is not in the lab` };
    }
    case 'app-service': {
      const app = ctx.apps.get(e.name);
      if (role === 'target') return { problem: 'an App Service app is only ever a source' };
      return app ? { host: { node: app.node, address: app.address, label: `App Service ${e.name}`, port: 0 } } : { problem: `App Service ${e.name} is not in the lab` };
    }
    case 'site': {
      const lan = ctx.index.sites.get(e.name)!.value.lan;
      return inSegment(ctx, ctx.segments.get(`site:${e.name}`), `site ${e.name}`, (t) => ('site' in t.attach && t.attach.site === e.name) || lan.some((p) => contains(p, t.privateIp!)));
    }
    case 'subnet':
      return inSegment(ctx, ctx.segments.get(`subnet:${e.vnet}/${e.subnet}`), `${e.vnet}/${e.subnet}`, (t) => 'vnet' in t.attach && t.attach.vnet === e.vnet && t.attach.subnet === e.subnet);
    case 'vnet': {
      const vnet = ctx.index.vnets.get(e.name)!.value;
      const subnets = vnet.subnets.filter((s) => !INFRASTRUCTURE.has(s.name) && !s.delegation);
      const withEndpoint = subnets.find((s) => ctx.topology.testEndpoints.some((t) => t.privateIp && 'vnet' in t.attach && t.attach.vnet === e.name && t.attach.subnet === s.name));
      const subnet = withEndpoint ?? subnets[0];
      if (!subnet) return { problem: `VNet ${e.name} has no subnet a host can sit in` };
      return inSegment(ctx, ctx.segments.get(`subnet:${e.name}/${subnet.name}`), `${e.name}/${subnet.name}`, (t) => 'vnet' in t.attach && t.attach.vnet === e.name && t.attach.subnet === subnet.name);
    }
    case 'prefix':
      return atPrefix(ctx, intent, e.prefix, role);
    case 'address-group': {
      const fw = ctx.index.firewalls.get(e.firewall)!.value;
      const group = fw.addressGroups.find((g) => g.name === e.group)!;
      const first = addressGroupPrefixes(group, ctx.index).find((p) => !p.includes(':'));
      return first ? atPrefix(ctx, intent, first, role) : { problem: `address group ${e.group} holds no IPv4 prefix` };
    }
  }
}

/** The test endpoint with a fixed address there, else a host of the lab's. */
function inSegment(ctx: PlanContext, seg: Segment | undefined, label: string, matches: (t: (typeof ctx.topology.testEndpoints)[number]) => boolean): Placed {
  const endpoint = ctx.topology.testEndpoints.find((t) => t.privateIp && matches(t));
  if (endpoint && ctx.endpoints.has(endpoint.name)) return { host: ctx.endpoints.get(endpoint.name)! };
  if (!seg) return { problem: `${label} is not in the lab` };
  const placed = [...ctx.hosts.values()].find((h) => h.label === `a host in ${label}`);
  return { host: placed ?? placeHost(ctx, seg, `a host in ${label}`, 22) };
}

function atPrefix(ctx: PlanContext, intent: Intent, prefix: string, role: 'source' | 'target'): Placed {
  const p = parsePrefix(prefix);
  if (!p.ok || p.value.version !== 4) return { problem: `${prefix} is not an IPv4 prefix (the lab carries IPv4)` };
  const endpoint = [...ctx.endpoints.values()].find((h) => contains(prefix, h.address));
  if (endpoint) return { host: endpoint };
  for (const seg of new Set(ctx.segments.values())) {
    for (const s of seg.prefixes) {
      const q = parsePrefix(s);
      if (!q.ok || q.value.version !== 4 || q.value.last < p.value.first || p.value.last < q.value.first) continue;
      // Inside the smaller of the two: the prefix's own address for a /32, else the first free one.
      const inner = p.value.length >= q.value.length ? prefix : s;
      const address = p.value.length === 32 ? prefix.split('/')[0]! : freeIn(ctx, inner, inner === s ? seg.firstHost : 1);
      return { host: placeHost(ctx, seg, `a host in ${prefix}`, 22, address) };
    }
  }
  if (role === 'source') return { problem: `nothing in the lab holds ${prefix}` };
  const port = firewallProbePort(ctx.topology, ctx.index, intent.kind !== 'isolate' ? intent.via : undefined, firstHost(prefix));
  return { host: internetHost(ctx, prefix, port) };
}

function firstHost(prefix: string): string {
  const p = parsePrefix(prefix);
  if (!p.ok) return prefix;
  const value = Number(p.value.first) + (p.value.length >= 31 ? 0 : 1);
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}
