/**
 * `hybridnet routes <topology> --fail <element>[,<element>…]`: what each node learns differently
 * with those elements down (lost, gained, next hop moved), and every intent's verdict then.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import { evaluateIntents, failureElements, formatRouteChanges, resolveFailure, routeChanges, simulateRoutes, topologyWithFailures, whyFails, type RouteChange } from '@hybridnet/validate';
import { InputError } from './pipeline.ts';

export interface FailureReport {
  readonly failed: readonly string[];
  readonly changes: readonly RouteChange[];
  readonly intents: readonly { readonly name: string; readonly holds: boolean; readonly heldBefore: boolean; readonly why?: string }[];
  /** Every intent holds with the elements down. */
  readonly holds: boolean;
}

/** The elements a user wrote (comma-separated, any number of --fail), each resolved, or an input error naming what exists. */
export function failuresNamed(texts: readonly string[], topology: Topology, index: TopologyIndex): string[] {
  const elements: string[] = [];
  for (const text of texts.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean)) {
    const resolved = resolveFailure(text, topology, index);
    if ('error' in resolved) throw new InputError(`--fail: ${resolved.error}; elements that can fail: ${failureElements(topology, index).join(', ')}`);
    if (!elements.includes(resolved.element)) elements.push(resolved.element);
  }
  if (elements.length === 0) throw new InputError('--fail needs an element (a connection, connection/tunnel, gateway, gateway/instance, Route Server, firewall or site)');
  return elements;
}

export function failureReport(topology: Topology, index: TopologyIndex, failed: readonly string[]): FailureReport {
  const down = topologyWithFailures(topology, index, failed);
  const before = new Map(evaluateIntents(topology, index).map((r) => [r.intent.name, r.holds]));
  const intents = evaluateIntents(down.topology, down.index).map((r) => {
    const why = whyFails(r);
    return { name: r.intent.name, holds: r.holds, heldBefore: before.get(r.intent.name) ?? false, ...(why ? { why } : {}) };
  });
  return { failed, changes: routeChanges(simulateRoutes(topology, index), simulateRoutes(down.topology, down.index)), intents, holds: intents.every((i) => i.holds) };
}

export function failureText(report: FailureReport): string {
  const lines = [`with ${report.failed.join(', ')} down:`, '', ...(report.changes.length === 0 ? ['routes: no node learns anything different'] : formatRouteChanges(report.changes))];
  lines.push('', report.intents.length === 0 ? 'intents: none declared' : 'intents:');
  for (const i of report.intents) lines.push(`  ${i.holds ? '✓' : '✗'} ${i.name}: ${i.holds ? 'holds' : `FAILS${i.heldBefore ? '' : ' (fails with everything up too)'}: ${i.why ?? ''}`}`);
  return `${lines.join('\n')}\n`;
}
