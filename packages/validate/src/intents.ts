/**
 * Answering intents with the data plane, as Batfish answers reachability questions: each intent's
 * source and targets become address ranges placed on the nodes that hold them; every range is cut
 * where any table, subnet, LAN or firewall rule draws a line (inside one piece every decision is
 * the same), and one packet per pair of pieces is walked there and, if it arrives, back.
 *
 * A flow holds when the request arrives, crosses `via` if given, and its reply comes back through
 * every firewall the request crossed (they are stateful); `symmetric` also wants the reply to
 * cross the same gateways and firewalls in reverse order. `isolate` holds when no request arrives.
 */
import { addressGroupPrefixes, FIREWALL_BUILTIN_RANGES, resolveIntentEndpoint, type ContextIntent, type Firewall, type Intent, type IntentTarget, type ModelPath, type Prefix, type Subnet, type Topology, type TopologyIndex } from '@hybridnet/model';
import { addressText, buildDataPlane, inPrefix, prefix, walk, type Address, type DataPlane, type Hop, type Lookup, type Position, type Sessions, type WalkResult } from './dataplane.ts';
import { simulateRoutes } from './simulate.ts';

export type Verdict = 'holds' | 'dropped' | 'no-return' | 'bypasses-firewall' | 'asymmetric' | 'reachable';

export interface FlowResult {
  /** The `to` entry this flow answers. */
  readonly target: string;
  readonly source: string;
  readonly destination: string;
  readonly verdict: Verdict;
  readonly why: string;
  readonly request: WalkResult;
  readonly reply?: WalkResult;
  /** Sites whose LAN holds the source and the destination, if any. */
  readonly sourceSite?: string;
  readonly destinationSite?: string;
}

export interface IntentResult {
  readonly intent: Intent;
  readonly path: ModelPath;
  readonly holds: boolean;
  /** Per target: its failing flows (up to a few), else one flow that holds. */
  readonly flows: FlowResult[];
  /** How many flows were walked, and how many failed. */
  readonly walked: number;
  readonly failed: number;
  /** The (source, destination) address pairs the flows stand for, and how many of them fail. */
  readonly addressPairs: bigint;
  readonly failedPairs: bigint;
  /** Test endpoints (with fixed addresses) standing at the source, and at each target: what verification probes from and to. */
  readonly sourceEndpoints: readonly string[];
  readonly targetEndpoints: readonly (readonly string[])[];
  /** Endpoints that cannot take part (an app as a target, a prefix nothing holds). */
  readonly problems: { readonly path: ModelPath; readonly message: string; readonly hint: string }[];
}

interface Placed {
  readonly start: Position;
  readonly range: Prefix;
}

const SHOWN_FAILURES = 3;
const INFRASTRUCTURE = new Set(['GatewaySubnet', 'RouteServerSubnet']);

const results = new WeakMap<Topology, IntentResult[]>();

export interface EvaluateOptions {
  /** The longest-prefix match to use (the property test passes a linear scan). */
  readonly lookup?: Lookup;
  /** Walk every address instead of one per piece (the brute force the property test compares with; small ranges only). */
  readonly exhaustive?: boolean;
}

/** The verdict of every intent; computed once per topology object (unless a test asks for another lookup). */
export function evaluateIntents(topology: Topology, index: TopologyIndex, options: EvaluateOptions = {}): IntentResult[] {
  if (topology.intents.length === 0) return [];
  const plain = !options.lookup && !options.exhaustive;
  const cached = plain ? results.get(topology) : undefined;
  if (cached) return cached;
  const dp = buildDataPlane(topology, index, simulateRoutes(topology, index));
  const points = boundaryPoints(dp);
  const split = options.exhaustive ? everyAddress : (range: Prefix) => pieces(points, range);
  const out = topology.intents.map((intent, i) => evaluate(dp, split, intent, ['intents', i], options.lookup));
  if (plain) results.set(topology, out);
  return out;
}

/** An address standing for `size` addresses (itself and those after it). */
interface Piece extends Address {
  readonly size: bigint;
}

function everyAddress(range: Prefix): Piece[] {
  if (range.last - range.first >= 4096n) throw new Error(`exhaustive evaluation of ${range.text} is too large`);
  const out: Piece[] = [];
  for (let a = range.first; a <= range.last; a++) out.push({ version: range.version, value: a, size: 1n });
  return out;
}

function evaluate(dp: DataPlane, split: (range: Prefix) => Piece[], intent: Intent, path: ModelPath, lookup?: Lookup): IntentResult {
  const problems: IntentResult['problems'][number][] = [];
  const from = resolveIntentEndpoint(intent.from, dp.index);
  const sources = from.ok ? place(dp, from.value) : [];
  if (from.ok && sources.length === 0) problems.push({ path: [...path, 'from'], message: `intent "${intent.name}": no subnet, site or App Service holds "${intent.from}", so no traffic starts there`, hint: 'start from a test endpoint, subnet, site, App Service or a prefix inside one of them' });
  const flows: FlowResult[] = [];
  const targetEndpoints: string[][] = [];
  let walked = 0;
  let failed = 0;
  let addressPairs = 0n;
  let failedPairs = 0n;
  intent.to.forEach((to, j) => {
    const target = resolveIntentEndpoint(to, dp.index);
    if (!target.ok) return;
    if (target.value.kind === 'app-service') {
      problems.push({ path: [...path, 'to', j], message: `intent "${intent.name}": App Service "${to}" can only be a source; VNet integration carries the app's outbound traffic, not traffic to it`, hint: 'name the app in from, or a private endpoint\'s subnet as the target' });
      return;
    }
    const ranges = destinations(dp, target.value);
    targetEndpoints[j] = testEndpointsIn(dp, ranges.map((range) => ({ range })));
    const failures: FlowResult[] = [];
    let holding: FlowResult | undefined;
    let pairs = 0;
    for (const s of sources) {
      for (const sa of split(s.range)) {
        for (const range of ranges) {
          for (const da of split(range)) {
            if (sa.version !== da.version) continue;
            pairs++;
            const flow = flowOf(dp, intent, to, s.start, sa, da, lookup);
            walked++;
            addressPairs += sa.size * da.size;
            if (flow.verdict === 'holds') holding ??= flow;
            else {
              failed++;
              failedPairs += sa.size * da.size;
              if (failures.length < SHOWN_FAILURES) failures.push(flow);
            }
          }
        }
      }
    }
    if (pairs === 0 && sources.length > 0) problems.push({ path: [...path, 'to', j], message: `intent "${intent.name}": "${intent.from}" and "${to}" share no address family, so no traffic can flow between them`, hint: 'pair IPv4 with IPv4 and IPv6 with IPv6' });
    flows.push(...(failures.length > 0 ? failures : holding ? [holding] : []));
  });
  for (let j = 0; j < intent.to.length; j++) targetEndpoints[j] ??= [];
  return { intent, path, holds: failed === 0 && problems.length === 0, flows, walked, failed, addressPairs, failedPairs, sourceEndpoints: testEndpointsIn(dp, sources), targetEndpoints, problems };
}

/** The test endpoints with a fixed address inside the ranges (and, for a source, on the node it starts from). */
function testEndpointsIn(dp: DataPlane, placed: readonly { range: Prefix; start?: Position }[]): string[] {
  return dp.topology.testEndpoints
    .filter((t) => {
      if (!t.privateIp) return false;
      const at: Position = 'vnet' in t.attach ? { at: 'table', node: `subnet:${t.attach.vnet}/${t.attach.subnet}`, label: `subnet ${t.attach.vnet}/${t.attach.subnet}` } : { at: 'site', site: t.attach.site };
      const address = prefix(`${t.privateIp}/32`)!;
      return placed.some((p) => inPrefix(p.range, { version: 4, value: address.first }) && (!p.start || JSON.stringify(p.start) === JSON.stringify(at)));
    })
    .map((t) => t.name);
}

function flowOf(dp: DataPlane, intent: Intent, target: string, start: Position, source: Address, destination: Address, lookup?: Lookup): FlowResult {
  const base = { target, source: addressText(source), destination: addressText(destination), ...siteOf(dp, 'sourceSite', source), ...siteOf(dp, 'destinationSite', destination) };
  const request = walk(dp, start, source, destination, 'request', new Map(), lookup);
  if (intent.kind === 'isolate') {
    return { ...base, request, verdict: request.delivered ? 'reachable' : 'holds', why: request.delivered ? `it arrives at ${request.hops.at(-1)?.node}` : `it is dropped at ${request.drop!.at}: ${request.drop!.why}` };
  }
  if (!request.delivered) return { ...base, request, verdict: 'dropped', why: `it is dropped at ${request.drop!.at}: ${request.drop!.why}` };
  if (intent.via && !request.firewalls.includes(intent.via)) return { ...base, request, verdict: 'bypasses-firewall', why: `it arrives without crossing firewall "${intent.via}"` };
  const sessions: Sessions = new Map(request.firewalls.map((f) => [f, request.natBy === f ? source : undefined]));
  const reply = replyOf(dp, request, destination, sessions, lookup);
  if (!reply.delivered) return { ...base, request, reply, verdict: 'no-return', why: `the reply is dropped at ${reply.drop!.at}: ${reply.drop!.why}` };
  const skipped = request.firewalls.filter((f) => !reply.firewalls.includes(f));
  if (skipped.length > 0) return { ...base, request, reply, verdict: 'asymmetric', why: `the reply bypasses firewall "${skipped[0]}", which saw the request and drops the rest of the connection` };
  if (intent.kind === 'symmetric') {
    const there = devices(request);
    const back = devices(reply);
    if (there.join('|') !== [...back].reverse().join('|')) return { ...base, request, reply, verdict: 'asymmetric', why: `the request crosses ${there.join(', ') || 'nothing'}, the reply ${back.join(', ') || 'nothing'}` };
  }
  return { ...base, request, reply, verdict: 'holds', why: 'it arrives and the reply comes back' };
}

function replyOf(dp: DataPlane, request: WalkResult, from: Address, sessions: Sessions, lookup?: Lookup): WalkResult {
  const at = request.delivered!;
  if (at === 'internet') {
    if (request.egressFirewall) return walk(dp, { at: 'firewall', firewall: request.egressFirewall }, from, request.source, 'reply', sessions, lookup);
    return { delivered: 'source', hops: [{ node: 'Internet', note: 'the reply returns through the same outbound' }], source: from, firewalls: [] };
  }
  const colon = at.indexOf(':');
  const [kind, name] = [at.slice(0, colon), at.slice(colon + 1)];
  const start: Position | undefined =
    kind === 'subnet' ? { at: 'table', node: at, label: `subnet ${name}` }
    : kind === 'site' ? { at: 'site', site: name }
    : kind === 'p2s' ? { at: 'gateway-in', gateway: name }
    : kind === 'firewall' ? { at: 'table', node: `subnet:${dp.firewalls.get(name)!.value.vnet}/${dp.firewalls.get(name)!.value.subnet}`, label: `firewall ${name}` }
    : undefined;
  if (!start) return { delivered: 'source', hops: [{ node: at, note: 'nothing lives here to reply' }], source: from, firewalls: [] };
  return walk(dp, start, from, request.source, 'reply', sessions, lookup);
}

/** The gateways and firewalls a packet crosses, in order. */
function devices(w: WalkResult): string[] {
  const out: string[] = [];
  for (const h of w.hops) if ((h.node.startsWith('gateway ') || h.node.startsWith('firewall ')) && out.at(-1) !== h.node) out.push(h.node);
  return out;
}

function siteOf(dp: DataPlane, key: 'sourceSite' | 'destinationSite', a: Address): Partial<Record<typeof key, string>> {
  const site = dp.siteAt(a);
  return site ? { [key]: site } : {};
}

/** Where traffic from an endpoint starts, and from which addresses. */
function place(dp: DataPlane, target: IntentTarget): Placed[] {
  const { index, topology } = dp;
  const subnet = (vnet: string, name: string, range?: string): Placed[] => {
    const s = index.subnets.get(vnet)?.get(name)?.value;
    const start: Position = { at: 'table', node: `subnet:${vnet}/${name}`, label: `subnet ${vnet}/${name}` };
    return s ? (range ? [range] : subnetRanges(s)).map((r) => ({ start, range: prefix(r)! })) : [];
  };
  switch (target.kind) {
    case 'test-endpoint': {
      const attach = index.testEndpoints.get(target.name)!.value.attach;
      const ranges = testEndpointRanges(dp, target.name);
      if ('vnet' in attach) return ranges.flatMap((r) => subnet(attach.vnet, attach.subnet, r));
      return ranges.map((r) => ({ start: { at: 'site', site: attach.site }, range: prefix(r)! }));
    }
    case 'subnet':
      return subnet(target.vnet, target.subnet);
    case 'app-service': {
      const app = index.appServices.get(target.name)!.value;
      const pool = app.integration.type === 'gateway-required' ? (index.vnets.get(app.integration.vnet)?.value.vpnGateway?.pointToSite?.addressPool ?? []).filter((p) => !p.includes(':')) : [index.subnets.get(app.integration.vnet)?.get(app.integration.subnet)?.value.prefix ?? ''];
      return pool.filter(Boolean).map((r) => ({ start: { at: 'table', node: `app:${app.name}`, label: `app ${app.name}` }, range: prefix(r)! }));
    }
    case 'site':
      return index.sites.get(target.name)!.value.lan.map((r) => ({ start: { at: 'site', site: target.name }, range: prefix(r)! }));
    case 'vnet': {
      const vnet = index.vnets.get(target.name)!.value;
      return vnet.subnets.filter((s) => !INFRASTRUCTURE.has(s.name) && !s.delegation).flatMap((s) => subnet(vnet.name, s.name));
    }
    default:
      return destinations(dp, target).flatMap((r) => {
        const out: Placed[] = [];
        for (const vnet of topology.azure.vnets) {
          for (const s of vnet.subnets) {
            for (const range of subnetRanges(s)) {
              const inner = narrower(prefix(range)!, r);
              if (inner && !INFRASTRUCTURE.has(s.name)) out.push(...subnet(vnet.name, s.name, inner.text));
            }
          }
        }
        for (const site of topology.sites) for (const lan of site.lan) {
          const inner = narrower(prefix(lan)!, r);
          if (inner) out.push({ start: { at: 'site', site: site.name }, range: inner });
        }
        return out;
      });
  }
}

/** Where a test endpoint's address lies: its fixed address, else its subnet (or AWS subnet, or site LAN). */
function testEndpointRanges(dp: DataPlane, name: string): readonly string[] {
  const t = dp.index.testEndpoints.get(name)!.value;
  if (t.privateIp) return [`${t.privateIp}/32`];
  if ('vnet' in t.attach) return subnetRanges(dp.index.subnets.get(t.attach.vnet)!.get(t.attach.subnet)!.value);
  const site = dp.index.sites.get(t.attach.site)!.value;
  return site.hosting.type === 'aws' ? [site.hosting.subnetCidr] : site.lan;
}

function subnetRanges(s: Subnet): string[] {
  return s.ipv6Prefix ? [s.prefix, s.ipv6Prefix] : [s.prefix];
}

/** The smaller of two prefixes when one holds the other. */
function narrower(a: Prefix, b: Prefix): Prefix | undefined {
  if (a.version !== b.version) return undefined;
  if (a.first <= b.first && b.last <= a.last) return b;
  if (b.first <= a.first && a.last <= b.last) return a;
  return undefined;
}

/** The address ranges an endpoint stands for as a target. */
function destinations(dp: DataPlane, target: IntentTarget): Prefix[] {
  const { index } = dp;
  const texts = ((): readonly string[] => {
    switch (target.kind) {
      case 'test-endpoint':
        return testEndpointRanges(dp, target.name);
      case 'subnet':
        return subnetRanges(index.subnets.get(target.vnet)!.get(target.subnet)!.value);
      case 'site':
        return index.sites.get(target.name)!.value.lan;
      case 'vnet':
        return index.vnets.get(target.name)!.value.addressSpace;
      case 'address-group':
        return addressGroupPrefixes(index.firewalls.get(target.firewall)!.value.addressGroups.find((g) => g.name === target.group)!, index);
      case 'prefix':
        return [target.prefix];
      case 'app-service':
        return [];
    }
  })();
  return texts.map((t) => prefix(t)!).filter(Boolean);
}

interface Points {
  readonly 4: bigint[];
  readonly 6: bigint[];
}

/** Every address where some boundary starts or ends, sorted per family. */
function boundaryPoints(dp: DataPlane): Points {
  const sets = { 4: new Set<bigint>(), 6: new Set<bigint>() };
  for (const p of dp.boundaries) {
    sets[p.version].add(p.first);
    sets[p.version].add(p.last + 1n);
  }
  const sorted = (s: Set<bigint>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { 4: sorted(sets[4]), 6: sorted(sets[6]) };
}

/** One address per piece of `range` inside which every boundary agrees: its first address, and the piece's size. */
function pieces(points: Points, range: Prefix): Piece[] {
  const list = points[range.version];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= range.first) lo = mid + 1;
    else hi = mid;
  }
  const starts = [range.first];
  for (let i = lo; i < list.length && list[i]! <= range.last; i++) starts.push(list[i]!);
  return starts.map((value, i) => ({ version: range.version, value, size: (i + 1 < starts.length ? starts[i + 1]! : range.last + 1n) - value }));
}

/**
 * For each rule of a firewall that passes traffic: whether any traffic from its sources toward its
 * destinations reaches the firewall at all (one walk per piece of each range, the pieces where
 * every boundary agrees). A rule whose sources or destinations are built-in objects (Any,
 * Internet, Trusted LAN) is taken as reachable; so is one with more pairs than `budget` to walk.
 */
export function firewallRulesReached(topology: Topology, index: TopologyIndex, budget = 4_096): Map<string, boolean> {
  const reached = new Map<string, boolean>();
  if (topology.azure.firewalls.every((fw) => fw.rules.length === 0)) return reached;
  const dp = buildDataPlane(topology, index, simulateRoutes(topology, index));
  const points = boundaryPoints(dp);
  const ranges = (fw: Firewall, entries: readonly string[]): Prefix[] | undefined => {
    const out: Prefix[] = [];
    for (const entry of entries) {
      if (entry in FIREWALL_BUILTIN_RANGES) return undefined;
      const group = fw.addressGroups.find((g) => g.name === entry);
      for (const text of group ? addressGroupPrefixes(group, index) : [entry]) {
        const p = prefix(text);
        if (p) out.push(p);
      }
    }
    return out;
  };
  for (const fw of topology.azure.firewalls) {
    for (const rule of fw.rules) {
      const key = `${fw.name}/${rule.name}`;
      const from = ranges(fw, rule.source);
      const to = ranges(fw, rule.destination);
      if (rule.action !== 'pass' || !from || !to) {
        reached.set(key, true);
        continue;
      }
      let walks = 0;
      let hit = false;
      search: for (const source of from) {
        for (const s of place(dp, { kind: 'prefix', prefix: source.text })) {
          for (const sa of pieces(points, s.range)) {
            for (const range of to) {
              for (const da of pieces(points, range)) {
                if (sa.version !== da.version) continue;
                if (++walks > budget) break search;
                const request = walk(dp, s.start, sa, da, 'request', new Map());
                if (request.hops.some((h) => h.node === `firewall ${fw.name}`)) {
                  hit = true;
                  break search;
                }
              }
            }
          }
        }
      }
      reached.set(key, hit || walks > budget);
    }
  }
  return reached;
}

export function hopText(h: Hop): string {
  return `${h.node}${h.note ? ` (${h.note})` : ''}${h.route ? ` [${h.route}]` : ''}`;
}

/** A walk on one line: `app a [prefix → next hop] → gateway g [...] → site s`. */
export function traceLine(w: WalkResult): string {
  return [...w.hops.map(hopText), ...(w.drop ? [`dropped at ${w.drop.at}`] : [])].join(' → ');
}

/** The intents' verdicts as generators receive them (GenerateContext.intents): plain data, hops as text. */
export function contextIntents(topology: Topology, index: TopologyIndex): ContextIntent[] {
  const hops = (w: WalkResult) => [...w.hops.map(hopText), ...(w.drop ? [`dropped at ${w.drop.at}: ${w.drop.why}`] : [])];
  return evaluateIntents(topology, index).map((r) => ({
    name: r.intent.name,
    kind: r.intent.kind,
    from: r.intent.from,
    to: r.intent.to,
    ...(r.intent.kind !== 'isolate' && r.intent.via ? { via: r.intent.via } : {}),
    holds: r.holds,
    sourceEndpoints: r.sourceEndpoints,
    targetEndpoints: r.targetEndpoints,
    flows: r.flows.map((f) => ({ target: f.target, source: f.source, destination: f.destination, verdict: f.verdict, why: f.why, request: hops(f.request), reply: f.reply ? hops(f.reply) : [] })),
  }));
}
