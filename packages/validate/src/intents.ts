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
import { addressGroupPrefixes, FIREWALL_BUILTIN_RANGES, FIREWALL_SERVICES, probePort, resolveIntentEndpoint, type ContextIntent, type Firewall, type Intent, type IntentTarget, type ModelPath, type Prefix, type Subnet, type Topology, type TopologyIndex } from '@hybridnet/model';
import { addressText, buildDataPlane, inPrefix, prefix, walk, type Address, type DataPlane, type Hop, type Lookup, type Position, type Sessions, type WalkResult } from './dataplane.ts';
import { elementParts } from './failures.ts';
import type { Traffic } from './nsg.ts';
import { resilience } from './resilience.ts';
import { simulateRoutes } from './simulate.ts';

export type Verdict = 'holds' | 'dropped' | 'no-return' | 'bypasses-firewall' | 'asymmetric' | 'reachable';

export interface FlowResult {
  /** The `to` entry this flow answers. */
  readonly target: string;
  readonly source: string;
  readonly destination: string;
  /** What the flow carries: `TCP 443`, `UDP 53`, `ICMP`. */
  readonly traffic: string;
  readonly protocol: Traffic['protocol'];
  readonly port?: number;
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
  /** Endpoints that cannot take part (an app as a target, a prefix nothing holds), and targets past the budget. */
  readonly problems: { readonly path: ModelPath; readonly message: string; readonly hint: string; readonly code?: 'too-large' }[];
}

/**
 * How many flows hybridnet walks for one topology, all intents together (each flow a request and,
 * if it arrives, its reply). Past it an intent's target is not answered but reported, positioned.
 * Documented in packages/validate/README.md ("Intents: the data plane").
 */
export const FLOW_BUDGET = 250_000;

interface Placed {
  readonly start: Position;
  readonly range: Prefix;
}

const SHOWN_FAILURES = 3;
const INFRASTRUCTURE = new Set(['GatewaySubnet', 'RouteServerSubnet']);


export interface EvaluateOptions {
  /** The longest-prefix match to use (the property test passes a linear scan). */
  readonly lookup?: Lookup;
  /** Walk every address instead of one per piece (the brute force the property test compares with; small ranges only). */
  readonly exhaustive?: boolean;
  /** Another flow budget than FLOW_BUDGET (tests). */
  readonly budget?: number;
}

/** What the intents of one topology share: the flows left to walk, and the targets already answered. */
interface Shared {
  readonly budget: number;
  remaining: number;
  /** By kind, source, target and firewall: the same question asked again is answered once. */
  readonly answered: Map<string, TargetAnswer>;
  /** Where each source (as written) is placed, and how many pieces (IPv4, IPv6) it is cut into. */
  readonly placed: Map<string, { readonly list: Placed[]; readonly pieces: readonly [number, number]; readonly endpoints: readonly string[] }>;
  /** The test endpoints inside each target (as written). */
  readonly targetEndpoints: Map<string, string[]>;
  /** Recording footprints: one per answer, by key. */
  track?: { begin(): Consulted; readonly footprints: Map<string, Consulted> };
}

interface TargetAnswer {
  readonly flows: FlowResult[];
  readonly walked: number;
  readonly failed: number;
  readonly addressPairs: bigint;
  readonly failedPairs: bigint;
}

/** The verdict of every intent; computed once per topology object (unless a test asks for another lookup). */
export function evaluateIntents(topology: Topology, index: TopologyIndex, options: EvaluateOptions = {}): IntentResult[] {
  if (topology.intents.length === 0) return [];
  const plain = !options.lookup && !options.exhaustive && options.budget === undefined;
  if (!plain) {
    const dp = buildDataPlane(topology, index, simulateRoutes(topology, index));
    return answerIntents(dp, boundaryPoints(dp), topology.intents.map((_, i) => i), options);
  }
  return evaluationOf(topology, index).results;
}

/** An evaluation of every intent of a topology, with the data plane, the cuts and each intent's footprint. */
export interface Evaluation {
  readonly results: IntentResult[];
  readonly dp: DataPlane;
  readonly points: Points;
  readonly footprints: readonly Footprint[];
}

const results = new WeakMap<Topology, Evaluation>();

/** The evaluation of a topology's intents, once per topology object. */
export function evaluationOf(topology: Topology, index: TopologyIndex): Evaluation {
  let found = results.get(topology);
  if (!found) {
    const dp = buildDataPlane(topology, index, simulateRoutes(topology, index));
    const points = boundaryPoints(dp);
    const footprints: Footprint[] = [];
    found = { results: answerIntents(dp, points, topology.intents.map((_, i) => i), { footprints }), dp, points, footprints };
    results.set(topology, found);
  }
  return found;
}

/**
 * What answering an intent looked at: every table its walks consulted (by node id, plus
 * `pool:<gateway>` where an app's traffic starts in a gateway's point-to-site pool), every
 * firewall they crossed, and every address they looked up lies in `ranges`. Nothing else decides
 * its verdict, so a failure that changes none of these for these ranges leaves it as it is
 * (./incremental.ts).
 */
export interface Footprint extends Consulted {
  readonly ranges: Prefix[];
}

/** The tables and firewalls answering a question consulted. */
interface Consulted {
  readonly tables: Set<string>;
  readonly firewalls: Set<string>;
}

/** What the evaluations of one network share across calls: where sources are placed, which test endpoints a target holds. */
export interface Placements {
  readonly placed: Shared['placed'];
  readonly targetEndpoints: Shared['targetEndpoints'];
}

/**
 * The intents at positions `at` of `dp.topology`, answered on `dp` with ranges cut at `points`;
 * with `footprints`, each one's footprint is written at its position.
 */
export function answerIntents(dp: DataPlane, points: Points, at: readonly number[], options: EvaluateOptions & { readonly placements?: Placements; readonly footprints?: Footprint[] } = {}): IntentResult[] {
  const cutter: Cutter = options.exhaustive ? { split: everyAddress, count: (range) => Number(range.last - range.first + 1n) } : { split: (range) => pieces(points, range), count: (range) => pieceCount(points, range) };
  const shared: Shared = { budget: options.budget ?? FLOW_BUDGET, remaining: options.budget ?? FLOW_BUDGET, answered: new Map(), placed: options.placements?.placed ?? new Map(), targetEndpoints: options.placements?.targetEndpoints ?? new Map() };
  const footprints = options.footprints;
  if (!footprints) return at.map((i) => evaluate(dp, cutter, dp.topology.intents[i]!, ['intents', i], shared, options.lookup));
  // Each answer's tables and firewalls, recorded as its walks ask for them.
  let current: Consulted | undefined;
  const tracked: DataPlane = {
    ...dp,
    table: (id) => (current?.tables.add(id), dp.table(id)),
    firewalls: { get: (name: string) => (current?.firewalls.add(name), dp.firewalls.get(name)), has: (name: string) => dp.firewalls.has(name), values: () => dp.firewalls.values() } as DataPlane['firewalls'],
  };
  shared.track = { begin: () => (current = { tables: new Set(), firewalls: new Set() }), footprints: new Map() };
  return at.map((i) => {
    const intent = dp.topology.intents[i]!;
    const result = evaluate(tracked, cutter, intent, ['intents', i], shared, options.lookup);
    const footprint: Footprint = { tables: new Set(), firewalls: new Set(), ranges: [] };
    for (const key of targetKeys(intent)) {
      const f = shared.track!.footprints.get(key);
      if (!f) continue;
      f.tables.forEach((t) => footprint.tables.add(t));
      f.firewalls.forEach((t) => footprint.firewalls.add(t));
    }
    for (const to of intent.to) {
      const target = resolveIntentEndpoint(to, dp.index);
      if (target.ok && target.value.kind !== 'app-service') footprint.ranges.push(...destinations(dp, target.value));
    }
    const from = resolveIntentEndpoint(intent.from, dp.index);
    if (from.ok && from.value.kind === 'app-service') {
      const app = dp.index.appServices.get(from.value.name)?.value;
      if (app?.integration.type === 'gateway-required') footprint.tables.add(`pool:${dp.index.vnets.get(app.integration.vnet)?.value.vpnGateway?.name ?? ''}`);
    }
    footprint.ranges.push(...(shared.placed.get(intent.from)?.list.map((p) => p.range) ?? []));
    // A firewall that translates the source gets the reply at its own address.
    if (footprint.firewalls.size > 0) for (const fw of dp.firewalls.values()) footprint.ranges.push(prefix(`${fw.value.privateIp}/32`)!);
    footprints[i] = footprint;
    return result;
  });
}

/** The keys under which an intent's targets are answered (one answer per kind, via, protocol and port, source and target). */
function targetKeys(intent: Intent): string[] {
  return intent.to.map((to) => `${intent.kind}\n${intent.kind !== 'isolate' ? (intent.via ?? '') : ''}\n${intent.protocol}/${intent.port ?? ''}\n${intent.from}\n${to}`);
}

const planes = new WeakMap<Topology, DataPlane>();

/**
 * The data plane's verdict on one flow of an intent, between two addresses: what the lab (and a
 * verification probe) compares its packet with. The source address is placed as the intent's
 * source is (an app starts at the app, an address in a subnet at that subnet); undefined when
 * nothing there holds it.
 */
export function flowVerdict(topology: Topology, index: TopologyIndex, intent: Intent, source: string, destination: string): { verdict: Verdict; why: string; request: WalkResult; reply?: WalkResult } | undefined {
  let dp = planes.get(topology);
  if (!dp) planes.set(topology, (dp = buildDataPlane(topology, index, simulateRoutes(topology, index))));
  const from = resolveIntentEndpoint(intent.from, index);
  const sa = prefix(`${source}/32`);
  const da = prefix(`${destination}/32`);
  if (!from.ok || !sa || !da) return undefined;
  const start = place(dp, from.value).find((p) => p.range.version === sa.version && p.range.first <= sa.first && sa.first <= p.range.last) ?? place(dp, { kind: 'prefix', prefix: `${source}/32` })[0];
  if (!start) return undefined;
  const outcome = flowOf(dp, intent, start.start, { version: sa.version, value: sa.first }, { version: da.version, value: da.first });
  return { verdict: outcome.verdict, why: outcome.why(), request: outcome.request, ...(outcome.reply ? { reply: outcome.reply } : {}) };
}

/** An address standing for `size` addresses (itself and those after it). */
interface Piece extends Address {
  readonly size: bigint;
}

/** How ranges are cut into pieces, and how many pieces a range makes (without cutting it). */
interface Cutter {
  split(range: Prefix): Piece[];
  count(range: Prefix): number;
}

/** Flows per address family for ranges cut by `cutter`: IPv4 pieces and IPv6 pieces. */
function countByFamily(cutter: Cutter, ranges: readonly Prefix[]): [number, number] {
  const out: [number, number] = [0, 0];
  for (const r of ranges) out[r.version === 4 ? 0 : 1] += cutter.count(r);
  return out;
}

function everyAddress(range: Prefix): Piece[] {
  if (range.last - range.first >= 4096n) throw new Error(`exhaustive evaluation of ${range.text} is too large`);
  const out: Piece[] = [];
  for (let a = range.first; a <= range.last; a++) out.push({ version: range.version, value: a, size: 1n });
  return out;
}

function evaluate(dp: DataPlane, cutter: Cutter, intent: Intent, path: ModelPath, shared: Shared, lookup?: Lookup): IntentResult {
  const problems: IntentResult['problems'][number][] = [];
  const from = resolveIntentEndpoint(intent.from, dp.index);
  let placed = shared.placed.get(intent.from);
  if (!placed) {
    const list = from.ok ? place(dp, from.value) : [];
    shared.placed.set(intent.from, (placed = { list, pieces: countByFamily(cutter, list.map((s) => s.range)), endpoints: testEndpointsIn(dp, list) }));
  }
  const sources = placed.list;
  if (from.ok && sources.length === 0) problems.push({ path: [...path, 'from'], message: `intent "${intent.name}": no subnet, site or App Service holds "${intent.from}", so no traffic starts there`, hint: 'start from a test endpoint, subnet, site, App Service or a prefix inside one of them' });
  const flows: FlowResult[] = [];
  const targetEndpoints: string[][] = [];
  let walked = 0;
  let failed = 0;
  let addressPairs = 0n;
  let failedPairs = 0n;
  // Each source placement's pieces, cut once for all targets, when a target needs walking.
  let cut: { s: Placed; pieces: Piece[] }[] | undefined;
  const sourcePieces = () => (cut ??= sources.map((s) => ({ s, pieces: cutter.split(s.range) })));
  intent.to.forEach((to, j) => {
    const target = resolveIntentEndpoint(to, dp.index);
    if (!target.ok) return;
    if (target.value.kind === 'app-service') {
      problems.push({ path: [...path, 'to', j], message: `intent "${intent.name}": App Service "${to}" can only be a source; VNet integration carries the app's outbound traffic, not traffic to it`, hint: 'name the app in from, or a private endpoint\'s subnet as the target' });
      return;
    }
    const ranges = destinations(dp, target.value);
    let inside = shared.targetEndpoints.get(to);
    if (!inside) shared.targetEndpoints.set(to, (inside = testEndpointsIn(dp, ranges.map((range) => ({ range })))));
    targetEndpoints[j] = inside;
    const key = targetKeys(intent)[j]!;
    let answer = shared.answered.get(key);
    if (!answer) {
      const hint = 'narrow from or to (a subnet, a site, a test endpoint, a smaller prefix), or split the intent';
      // Counted before anything is cut: a target past the budget costs two binary searches per range.
      const [to4, to6] = countByFamily(cutter, ranges);
      const count = placed.pieces[0] * to4 + placed.pieces[1] * to6;
      if (count > shared.remaining) {
        const budget = shared.budget.toLocaleString('en');
        const left = shared.remaining === shared.budget ? '' : `, ${shared.remaining.toLocaleString('en')} of them left after the intents before it`;
        problems.push({ code: 'too-large', path: [...path, 'to', j], message: `intent "${intent.name}": ${intent.from} to ${to} is ${count.toLocaleString('en')} flows (source and destination cut where the routing differs), more than the ${budget} flows hybridnet walks for one topology${left}; it is not answered`, hint });
        return;
      }
      shared.remaining -= count;
      const footprint = shared.track?.begin();
      answer = answerTarget(dp, intent, to, sourcePieces(), ranges, ranges.map((range) => cutter.split(range)), lookup);
      if (footprint) shared.track!.footprints.set(key, footprint);
      shared.answered.set(key, answer);
    }
    if (answer.walked === 0 && sources.length > 0) problems.push({ path: [...path, 'to', j], message: `intent "${intent.name}": "${intent.from}" and "${to}" share no address family, so no traffic can flow between them`, hint: 'pair IPv4 with IPv4 and IPv6 with IPv6' });
    walked += answer.walked;
    failed += answer.failed;
    addressPairs += answer.addressPairs;
    failedPairs += answer.failedPairs;
    flows.push(...answer.flows);
  });
  for (let j = 0; j < intent.to.length; j++) targetEndpoints[j] ??= [];
  return { intent, path, holds: failed === 0 && problems.length === 0, flows, walked, failed, addressPairs, failedPairs, sourceEndpoints: placed.endpoints, targetEndpoints, problems };
}

/**
 * One target of an intent: a flow per pair of source and destination pieces. Only the flows
 * shown (the first few failures, else one that holds) get their text; the rest are verdicts.
 */
function answerTarget(dp: DataPlane, intent: Intent, to: string, sourcePieces: readonly { s: Placed; pieces: Piece[] }[], ranges: readonly Prefix[], destinationPieces: readonly Piece[][], lookup?: Lookup): TargetAnswer {
  const failures: FlowResult[] = [];
  // The brute force the property test compares with (a lookup of its own) walks every reply itself.
  const replies: Replies | undefined = lookup ? undefined : new Map();
  let holding: FlowResult | undefined;
  let walked = 0;
  let failed = 0;
  let addressPairs = 0n;
  let failedPairs = 0n;
  for (const { s, pieces } of sourcePieces) {
    for (const sa of pieces) {
      for (let r = 0; r < ranges.length; r++) {
        for (const da of destinationPieces[r]!) {
          if (sa.version !== da.version) continue;
          const outcome = flowOf(dp, intent, s.start, sa, da, lookup, replies);
          walked++;
          addressPairs += sa.size * da.size;
          if (outcome.verdict === 'holds') {
            holding ??= describe(dp, to, sa, da, outcome);
          } else {
            failed++;
            failedPairs += sa.size * da.size;
            if (failures.length < SHOWN_FAILURES) failures.push(describe(dp, to, sa, da, outcome));
          }
        }
      }
    }
  }
  return { flows: failures.length > 0 ? failures : holding ? [holding] : [], walked, failed, addressPairs, failedPairs };
}

/** The test endpoints with a fixed address inside the ranges (and, for a source, on the node it starts from). */
function testEndpointsIn(dp: DataPlane, placed: readonly { range: Prefix; start?: Position }[]): string[] {
  const out: string[] = [];
  for (const t of dp.topology.testEndpoints) {
    if (!t.privateIp) continue;
    const at = 'vnet' in t.attach ? `subnet:${t.attach.vnet}/${t.attach.subnet}` : `site:${t.attach.site}`;
    const address: Address = { version: 4, value: prefix(`${t.privateIp}/32`)!.first };
    if (placed.some((p) => inPrefix(p.range, address) && (!p.start || (p.start.at === 'table' ? p.start.node : p.start.at === 'site' ? `site:${p.start.site}` : '') === at))) out.push(t.name);
  }
  return out;
}

/** A flow's verdict and walks; its words (`why`) are made only for the flows shown. */
interface Outcome {
  readonly traffic: Traffic;
  readonly verdict: Verdict;
  readonly why: () => string;
  readonly request: WalkResult;
  readonly reply?: WalkResult;
}

function describe(dp: DataPlane, target: string, source: Address, destination: Address, o: Outcome): FlowResult {
  return { target, source: addressText(source), destination: addressText(destination), traffic: trafficText(o.traffic), protocol: o.traffic.protocol, ...(o.traffic.port !== undefined ? { port: o.traffic.port } : {}), ...siteOf(dp, 'sourceSite', source), ...siteOf(dp, 'destinationSite', destination), request: o.request, ...(o.reply ? { reply: o.reply } : {}), verdict: o.verdict, why: o.why() };
}

/**
 * Replies already walked, by where the request arrived (a subnet, a site, the Internet through a
 * firewall), the firewalls holding its session, and the address the reply goes back to: every
 * destination that arrives at the same node sends the same reply (its own address, the reply's
 * source, decides nothing more on the way back: firewalls pass replies by session, and a peering
 * asks only whether it is the sending VNet's own address, which it is or is not for the whole node).
 */
type Replies = Map<string, WalkResult>;

/** A flow's traffic as the trace prints it: `TCP 443`, `ICMP`. */
export function trafficText(t: Traffic): string {
  return t.protocol === 'icmp' ? 'ICMP' : `${t.protocol.toUpperCase()} ${t.port}`;
}

/**
 * The traffic of an intent's flow toward `destination`: its protocol, and its port or the one
 * verification probes there (a test endpoint's listener, else what the firewall in `via` passes).
 */
export function trafficOf(dp: DataPlane, intent: Intent, destination: Address): Traffic {
  if (intent.protocol === 'icmp') return { protocol: 'icmp' };
  return { protocol: intent.protocol, port: intent.port ?? probePort(dp.topology, dp.index, intent.kind !== 'isolate' ? intent.via : undefined, addressText(destination)) };
}

function flowOf(dp: DataPlane, intent: Intent, start: Position, source: Address, destination: Address, lookup?: Lookup, replies?: Replies): Outcome {
  const traffic = trafficOf(dp, intent, destination);
  const request = walk(dp, start, source, destination, 'request', new Map(), lookup, traffic);
  if (intent.kind === 'isolate') {
    return { traffic, request, verdict: request.delivered ? 'reachable' : 'holds', why: () => (request.delivered ? `it arrives at ${request.hops.at(-1)?.node}` : `it is dropped at ${request.drop!.at}: ${request.drop!.why}`) };
  }
  if (!request.delivered) return { traffic, request, verdict: 'dropped', why: () => `it is dropped at ${request.drop!.at}: ${request.drop!.why}` };
  if (intent.via && !request.firewalls.includes(intent.via)) return { traffic, request, verdict: 'bypasses-firewall', why: () => `it arrives without crossing firewall "${intent.via}"` };
  const sessions: Sessions = new Map(request.firewalls.map((f) => [f, request.natBy === f ? source : undefined]));
  // With security groups, a reply meeting one its request did not pass is judged by its own addresses and ports.
  const nsgs = dp.nsgs.size > 0 ? `|${destination.value}|${traffic.protocol}/${traffic.port ?? ''}|${request.passed.join(',')}` : '';
  const key = replies && request.delivered !== `firewall:${request.firewalls.at(-1)}` ? `${request.delivered}|${request.egressFirewall ?? ''}|${request.firewalls.join(',')}|${request.natBy ?? ''}|${source.version}:${source.value}|${request.source.value}${nsgs}` : undefined;
  let reply = key ? replies!.get(key) : undefined;
  if (!reply) {
    reply = replyOf(dp, request, destination, sessions, lookup, traffic);
    if (key) replies!.set(key, reply);
  }
  if (!reply.delivered) return { traffic, request, reply, verdict: 'no-return', why: () => `the reply is dropped at ${reply.drop!.at}: ${reply.drop!.why}` };
  const skipped = request.firewalls.filter((f) => !reply.firewalls.includes(f));
  if (skipped.length > 0) return { traffic, request, reply, verdict: 'asymmetric', why: () => `the reply bypasses firewall "${skipped[0]}", which saw the request and drops the rest of the connection` };
  if (intent.kind === 'symmetric') {
    const there = devices(request);
    const back = devices(reply);
    if (there.join('|') !== [...back].reverse().join('|')) return { traffic, request, reply: reply!, verdict: 'asymmetric', why: () => `the request crosses ${there.join(', ') || 'nothing'}, the reply ${back.join(', ') || 'nothing'}` };
  }
  return { traffic, request, reply, verdict: 'holds', why: () => 'it arrives and the reply comes back' };
}

function replyOf(dp: DataPlane, request: WalkResult, from: Address, sessions: Sessions, lookup: Lookup | undefined, traffic: Traffic): WalkResult {
  const at = request.delivered!;
  const crossed = new Set(request.passed);
  if (at === 'internet') {
    if (request.egressFirewall) return walk(dp, { at: 'firewall', firewall: request.egressFirewall }, from, request.source, 'reply', sessions, lookup, traffic, crossed);
    return { delivered: 'source', hops: [{ node: 'Internet', element: 'internet', note: 'the reply returns through the same outbound' }], source: from, firewalls: [], passed: [], screened: [] };
  }
  const { kind, name } = elementParts(at);
  const start: Position | undefined =
    kind === 'subnet' ? { at: 'table', node: at, label: `subnet ${name}` }
    : kind === 'site' ? { at: 'site', site: name }
    : kind === 'p2s' ? { at: 'gateway-in', gateway: name }
    : kind === 'firewall' ? { at: 'table', node: `subnet:${dp.firewalls.get(name)!.value.vnet}/${dp.firewalls.get(name)!.value.subnet}`, label: `firewall ${name}` }
    : undefined;
  if (!start) return { delivered: 'source', hops: [{ node: at, element: at, note: 'nothing lives here to reply' }], source: from, firewalls: [], passed: [], screened: [] };
  return walk(dp, start, from, request.source, 'reply', sessions, lookup, traffic, crossed);
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
      return destinations(dp, target).flatMap((r) => holdersOf(dp).within(r).map((h) => ({ start: h.start, range: narrower(h.range, r)! })));
  }
}

interface Holder {
  readonly start: Position;
  readonly range: Prefix;
  /** Its place in the topology (VNets' subnets in order, then sites' LANs): the order results keep. */
  readonly order: number;
}

/**
 * Every subnet range and site LAN, parsed once per data plane and sorted by first address, so a
 * prefix's holders are found by a binary search instead of a pass over the whole estate (an
 * intent from 10.0.0.0/8 in a file of thousands of intents asked that once per intent).
 */
const holderIndex = new WeakMap<DataPlane, { within(r: Prefix): Holder[] }>();
function holdersOf(dp: DataPlane): { within(r: Prefix): Holder[] } {
  let found = holderIndex.get(dp);
  if (found) return found;
  const all: Holder[] = [];
  for (const vnet of dp.topology.azure.vnets) {
    for (const s of vnet.subnets) {
      if (INFRASTRUCTURE.has(s.name)) continue;
      const start: Position = { at: 'table', node: `subnet:${vnet.name}/${s.name}`, label: `subnet ${vnet.name}/${s.name}` };
      for (const range of subnetRanges(s)) all.push({ start, range: prefix(range)!, order: all.length });
    }
  }
  for (const site of dp.topology.sites) for (const lan of site.lan) all.push({ start: { at: 'site', site: site.name }, range: prefix(lan)!, order: all.length });
  const byVersion = ([4, 6] as const).map((version) => {
    const sorted = all.filter((h) => h.range.version === version).sort((a, b) => (a.range.first < b.range.first ? -1 : a.range.first > b.range.first ? 1 : 0));
    // The furthest last address among the holders up to each one: how far back one may still reach r.
    const reach: bigint[] = [];
    sorted.forEach((h, i) => reach.push(i > 0 && reach[i - 1]! > h.range.last ? reach[i - 1]! : h.range.last));
    return { sorted, reach };
  });
  found = {
    within(r) {
      const { sorted, reach } = byVersion[r.version === 4 ? 0 : 1]!;
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (sorted[mid]!.range.first <= r.last) low = mid + 1;
        else high = mid;
      }
      // Holders starting at or before r's end; walk back while one of them may still reach r.
      const out: Holder[] = [];
      for (let i = low - 1; i >= 0 && reach[i]! >= r.first; i--) if (narrower(sorted[i]!.range, r)) out.push(sorted[i]!);
      return out.sort((a, b) => a.order - b.order);
    },
  };
  holderIndex.set(dp, found);
  return found;
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

export interface Points {
  readonly 4: bigint[];
  readonly 6: bigint[];
}

/** Every address where some boundary starts or ends, sorted per family. */
export function boundaryPoints(dp: DataPlane): Points {
  const sets = { 4: new Set<bigint>(), 6: new Set<bigint>() };
  for (const p of dp.boundaries) {
    sets[p.version].add(p.first);
    sets[p.version].add(p.last + 1n);
  }
  const sorted = (s: Set<bigint>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { 4: sorted(sets[4]), 6: sorted(sets[6]) };
}

/** The index of the first point after `value`. */
function after(list: readonly bigint[], value: bigint): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many pieces `pieces` cuts `range` into. */
function pieceCount(points: Points, range: Prefix): number {
  const list = points[range.version];
  return 1 + after(list, range.last) - after(list, range.first);
}

/**
 * One address per piece of `range` inside which every boundary agrees, and the piece's size. Any
 * address of a piece gives the same verdict; the one shown is one a host could have: the fifth of
 * a piece of eight or more (Azure keeps a subnet's first four, so x.x.x.4 is the first a VM gets),
 * else the second (past a network address), else the only one.
 */
function pieces(points: Points, range: Prefix): Piece[] {
  const list = points[range.version];
  const starts = [range.first];
  for (let i = after(list, range.first); i < list.length && list[i]! <= range.last; i++) starts.push(list[i]!);
  return starts.map((first, i) => {
    const size = (i + 1 < starts.length ? starts[i + 1]! : range.last + 1n) - first;
    return { version: range.version, value: first + (size >= 8n ? 4n : size >= 2n ? 1n : 0n), size };
  });
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
      // The traffic the rule is for: its first service with a port (its own, with Any).
      const service = rule.services.map((name) => FIREWALL_SERVICES[name]).find((p) => Array.isArray(p));
      const traffic: Traffic = Array.isArray(service) ? { protocol: service[0]!.protocol, port: service[0]!.port } : { protocol: 'tcp', port: 443 };
      let walks = 0;
      let hit = false;
      search: for (const source of from) {
        for (const s of place(dp, { kind: 'prefix', prefix: source.text })) {
          for (const sa of pieces(points, s.range)) {
            for (const range of to) {
              for (const da of pieces(points, range)) {
                if (sa.version !== da.version) continue;
                if (++walks > budget) break search;
                const request = walk(dp, s.start, sa, da, 'request', new Map(), undefined, traffic);
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

/** A walk's hops as text, and where it was dropped (with why, when asked). */
export function walkLines(w: WalkResult, why = false): string[] {
  return [...w.hops.map(hopText), ...(w.drop ? [`dropped at ${w.drop.at}${why ? `: ${w.drop.why}` : ''}`] : [])];
}

/** A walk on one line: `app a [prefix → next hop] → gateway g [...] → site s`. */
export function traceLine(w: WalkResult): string {
  return walkLines(w).join(' → ');
}

/** The intents' verdicts as generators receive them (GenerateContext.intents): plain data, hops as text. */
export function contextIntents(topology: Topology, index: TopologyIndex): ContextIntent[] {
  const survives = new Map(resilience(topology, index).map((row) => [row.at, row.failures.map(({ elements, holds, why }) => ({ elements, holds, ...(why ? { why } : {}) }))]));
  return evaluateIntents(topology, index).map((r, at) => ({
    name: r.intent.name,
    kind: r.intent.kind,
    from: r.intent.from,
    to: r.intent.to,
    ...(r.intent.kind !== 'isolate' && r.intent.via ? { via: r.intent.via } : {}),
    protocol: r.intent.protocol,
    ...(r.intent.port !== undefined ? { port: r.intent.port } : {}),
    holds: r.holds,
    sourceEndpoints: r.sourceEndpoints,
    targetEndpoints: r.targetEndpoints,
    ...(survives.has(at) ? { survives: survives.get(at)! } : {}),
    flows: r.flows.map((f) => ({ target: f.target, source: f.source, destination: f.destination, verdict: f.verdict, why: f.why, request: walkLines(f.request, true), reply: f.reply ? walkLines(f.reply, true) : [], requestPath: f.request.hops.map((h) => h.element), replyPath: f.reply?.hops.map((h) => h.element) ?? [] })),
  }));
}
