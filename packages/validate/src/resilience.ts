/**
 * Resilient intents: `survives: any-single-failure` (or a list of failure sets) on a reach or
 * symmetric intent. Each failure set is answered by the same simulation and data plane as the
 * intent itself, on the topology with those elements down (./failures.ts).
 *
 * "Any single failure" is every element on the intent's paths: the connections (and their
 * tunnels) and gateways (and their instances) its hops and routes name, the firewalls and sites
 * it crosses (not the sites it starts or ends at: nothing survives the loss of its own end), and
 * every Route Server, whose loss changes what the gateways learn without being a hop.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import { failureElements, resolveFailure, topologyWithFailures } from './failures.ts';
import { evaluateIntents, type IntentResult } from './intents.ts';

export interface ResilienceRow {
  readonly intent: string;
  /** The intent's position in `intents:` (for diagnostics). */
  readonly at: number;
  /** Each failure set tried, in order (`set`: its place in a written list), and whether the intent holds with it. */
  readonly failures: readonly { readonly set: number; readonly elements: readonly string[]; readonly holds: boolean; readonly why?: string }[];
  /** Elements the topology does not have (written in `survives:`). */
  readonly unknown: readonly { readonly set: number; readonly element: number; readonly message: string }[];
}

/** Why an intent fails: its first problem, else its first failing flow. */
export function whyFails(result: IntentResult): string | undefined {
  if (result.holds) return undefined;
  const flow = result.flows.find((f) => f.verdict !== 'holds');
  return result.problems[0]?.message ?? (flow ? `${flow.source} → ${flow.destination} (${flow.target}): ${flow.why}` : undefined);
}

/** The single failures on an intent's paths (see the module comment). */
export function failuresOnPath(result: IntentResult, topology: Topology, index: TopologyIndex): string[] {
  const words = new Set<string>();
  const ends = new Set<string>();
  for (const f of result.flows) {
    for (const w of [f.request, ...(f.reply ? [f.reply] : [])]) {
      for (const h of w.hops) {
        words.add(h.element.slice(h.element.indexOf(':') + 1));
        for (const word of `${h.route ?? ''} ${h.node}`.split(/[^A-Za-z0-9._/-]+/)) if (word) words.add(word);
      }
    }
    if (f.sourceSite) ends.add(f.sourceSite);
    if (f.destinationSite) ends.add(f.destinationSite);
  }
  return failureElements(topology, index).filter((e) => {
    const colon = e.indexOf(':');
    const [kind, name] = [e.slice(0, colon), e.slice(colon + 1)];
    const owner = kind === 'tunnel' || kind === 'instance' ? name.slice(0, name.lastIndexOf('/')) : name;
    if (kind === 'route-server') return true;
    if (kind === 'site') return words.has(name) && !ends.has(name);
    return words.has(owner);
  });
}

/** Every intent with `survives:`, answered under each of its failure sets. */
export function resilience(topology: Topology, index: TopologyIndex): ResilienceRow[] {
  const results = evaluateIntents(topology, index);
  return topology.intents.flatMap((intent, at): ResilienceRow[] => {
    if (intent.kind === 'isolate' || !intent.survives) return [];
    const result = results[at]!;
    const unknown: ResilienceRow['unknown'][number][] = [];
    const sets =
      intent.survives === 'any-single-failure'
        ? failuresOnPath(result, topology, index).map((e) => [e])
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
    // Only this intent is answered in each failed network.
    const alone = { ...topology, intents: [intent] };
    const failures = sets.flatMap((elements, set) => {
      if (elements.length === 0) return [];
      const down = topologyWithFailures(alone, index, elements);
      const r = evaluateIntents(down.topology, down.index)[0]!;
      const why = whyFails(r);
      return [{ set, elements, holds: r.holds, ...(why ? { why } : {}) }];
    });
    return [{ intent: intent.name, at, failures, unknown }];
  });
}
