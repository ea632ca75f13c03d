/**
 * Resilient intents: `survives: any-single-failure` (or a list of failure sets) on a reach or
 * symmetric intent. Each failure set is answered by the same simulation and data plane as the
 * intent itself, on the topology with those elements down (./failures.ts), working out again only
 * what the failure touches (./incremental.ts).
 *
 * "Any single failure" is every element on the intent's paths, read off the typed hops of its
 * walks: the connections (and their tunnels) and gateways (and their instances) its hops and
 * routes name, the firewalls and sites it crosses (not the sites it starts or ends at: nothing
 * survives the loss of its own end), and every Route Server, whose loss changes what the
 * gateways learn without being a hop.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import { elementParts, failureElements, resolveFailure } from './failures.ts';
import { failureAnalysis, type FailureAnswer } from './incremental.ts';
import { evaluateIntents, type IntentResult } from './intents.ts';
import type { NextHop } from './simulate.ts';

export interface ResilienceRow {
  readonly intent: string;
  /** The intent's position in `intents:` (for diagnostics). */
  readonly at: number;
  /** Each failure set answered, in order (`set`: its place in a written list), and whether the intent holds with it. */
  readonly failures: readonly { readonly set: number; readonly elements: readonly string[]; readonly holds: boolean; readonly why?: string }[];
  /** Failure sets left unanswered: past RESILIENCE_BUDGET. */
  readonly unanswered: number;
  /** Elements the topology does not have (written in `survives:`). */
  readonly unknown: readonly { readonly set: number; readonly element: number; readonly message: string }[];
}

/**
 * How much failure analysis one topology gets, in units of work: each node of the network a
 * failure set makes hybridnet work out again (a gateway, a site, a VNet behind a gateway) is one,
 * each intent it answers again a hundred, each set at least one. Every single failure of the
 * 1,000-spoke benchmark estate with its 1,000 intents is about 350,000 (about 1.5 s on 2 cores);
 * 5,000,000 bounds a network where every failure changes everything to some 20 s. Past it a
 * failure set is reported, positioned, as not answered.
 */
export const RESILIENCE_BUDGET = 5_000_000;

/** What answering one failure set cost, in the units of RESILIENCE_BUDGET. */
export const workOf = (answer: FailureAnswer): number => Math.max(1, answer.work + 100 * answer.answered);

/** Why an intent fails: its first problem, else its first failing flow. */
export function whyFails(result: IntentResult): string | undefined {
  if (result.holds) return undefined;
  const flow = result.flows.find((f) => f.verdict !== 'holds');
  return result.problems[0]?.message ?? (flow ? `${flow.source} → ${flow.destination} (${flow.target}): ${flow.why}` : undefined);
}

/** The names a typed next hop carries: the connection, gateway or firewall it leads to. */
function namesOf(hop: NextHop): string[] {
  switch (hop.kind) {
    case 'tunnel':
    case 'bgp':
    case 'expressroute':
      return [hop.connection];
    case 'vpn-gateway':
    case 'expressroute-gateway':
      return [hop.gateway];
    case 'virtual-network-gateway':
      return hop.gateway ? [hop.gateway] : [];
    case 'appliance':
      return [hop.firewall];
    default:
      return [];
  }
}

/** The single failures on an intent's paths (see the module comment), read off the typed hops of its walks. */
export function failuresOnPath(result: IntentResult, topology: Topology, index: TopologyIndex): string[] {
  const names = new Set<string>();
  const ends = new Set<string>();
  for (const f of result.flows) {
    for (const w of [f.request, ...(f.reply ? [f.reply] : [])]) {
      for (const h of w.hops) {
        names.add(elementParts(h.element).name);
        if (h.via) for (const name of namesOf(h.via)) names.add(name);
      }
    }
    if (f.sourceSite) ends.add(f.sourceSite);
    if (f.destinationSite) ends.add(f.destinationSite);
  }
  // A connection on the path brings its gateway (both, for VNet-to-VNet).
  for (const c of topology.connections) {
    if (!names.has(c.name)) continue;
    if (c.type === 'vnet-to-vnet') c.gateways.forEach((g) => names.add(g));
    else names.add(c.gateway);
  }
  return failureElements(topology, index).filter((e) => {
    const { kind, name, owner } = elementParts(e);
    if (kind === 'route-server') return true;
    if (kind === 'site') return names.has(name) && !ends.has(name);
    return names.has(owner);
  });
}

const answeredTopologies = new WeakMap<Topology, ResilienceRow[]>();

/**
 * Every intent with `survives:`, answered under each of its failure sets (once per topology
 * object: validation and the report share it). A failure set several intents name is answered
 * once for all of them.
 */
export function resilience(topology: Topology, index: TopologyIndex, options: { readonly budget?: number } = {}): ResilienceRow[] {
  const plain = options.budget === undefined;
  const cached = plain ? answeredTopologies.get(topology) : undefined;
  if (cached) return cached;
  const results = evaluateIntents(topology, index);
  const asked = topology.intents.flatMap((intent, at) => {
    if (intent.kind === 'isolate' || !intent.survives) return [];
    const unknown: ResilienceRow['unknown'][number][] = [];
    const sets =
      intent.survives === 'any-single-failure'
        ? failuresOnPath(results[at]!, topology, index).map((e) => [e])
        : intent.survives.map((set, i) =>
            set.flatMap((text, j) => {
              const r = resolveFailure(text, topology, index);
              if ('error' in r) {
                unknown.push({ set: i, element: j, message: r.error });
                return [];
              }
              return [r.element];
            }),
          );
    return [{ intent: intent.name, at, sets, unknown }];
  });

  // Each distinct failure set once, for every intent that names it, in the order first named.
  const key = (elements: readonly string[]) => [...elements].sort().join('\n');
  const scenarios = new Map<string, { elements: readonly string[]; intents: number[] }>();
  for (const a of asked) {
    for (const elements of a.sets) {
      if (elements.length === 0) continue;
      const scenario = scenarios.get(key(elements)) ?? scenarios.set(key(elements), { elements, intents: [] }).get(key(elements))!;
      if (!scenario.intents.includes(a.at)) scenario.intents.push(a.at);
    }
  }
  const analysis = failureAnalysis(topology, index);
  let left = options.budget ?? RESILIENCE_BUDGET;
  const answers = new Map<string, Map<number, { holds: boolean; why?: string }>>();
  for (const [k, scenario] of scenarios) {
    if (left <= 0) break;
    const answer = analysis.answer(scenario.elements, scenario.intents);
    left -= workOf(answer);
    answers.set(k, new Map(scenario.intents.map((at) => {
      const result = answer.results.get(at)!;
      const why = whyFails(result);
      return [at, { holds: result.holds, ...(why ? { why } : {}) }];
    })));
  }

  const rows = asked.map(({ intent, at, sets, unknown }): ResilienceRow => {
    const failures: ResilienceRow['failures'][number][] = [];
    let unanswered = 0;
    sets.forEach((elements, set) => {
      if (elements.length === 0) return;
      const answer = answers.get(key(elements))?.get(at);
      if (answer) failures.push({ set, elements, ...answer });
      else unanswered++;
    });
    return { intent, at, failures, unanswered, unknown };
  });
  if (plain) answeredTopologies.set(topology, rows);
  return rows;
}
