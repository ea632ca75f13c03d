/**
 * `hybridnet diff <old> <new>`: what a change to a topology does, for a pull request: the routes
 * each node learns differently, the intents whose verdict changes, the flows whose path changes
 * (hop lists side by side), and the Azure resources the ARM template adds, removes or changes.
 * Behaviour (routes, verdicts, paths) decides the exit code; resources are reported alongside.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import { toArmTemplate, type ArmResource, type ArmTemplate } from '@hybridnet/gen-bicep';
import { evaluateIntents, formatRouteChanges, routeChanges, simulateRoutes, walkLines, type IntentResult, type RouteChange } from '@hybridnet/validate';

export interface IntentChange {
  readonly name: string;
  /** undefined: the intent is not declared on that side. */
  readonly before?: boolean;
  readonly after?: boolean;
}

export interface PathChange {
  readonly intent: string;
  readonly target: string;
  /** The flow each side shows for the target (`source → destination`) and its hops, request then reply. */
  readonly before: { readonly flow: string; readonly hops: readonly string[] };
  readonly after: { readonly flow: string; readonly hops: readonly string[] };
}

export interface ResourceChange {
  readonly resource: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For a change: the settings that differ (`properties.routingWeight`). */
  readonly settings: readonly string[];
}

export interface TopologyDiff {
  readonly routes: readonly RouteChange[];
  readonly intents: readonly IntentChange[];
  readonly paths: readonly PathChange[];
  readonly resources: readonly ResourceChange[];
  /** Routes, verdicts and paths are the same on both sides. */
  readonly same: boolean;
}

interface Side {
  readonly topology: Topology;
  readonly index: TopologyIndex;
}

export function diffTopologies(old: Side, next: Side): TopologyDiff {
  const routes = routeChanges(simulateRoutes(old.topology, old.index), simulateRoutes(next.topology, next.index));
  const before = byName(evaluateIntents(old.topology, old.index));
  const after = byName(evaluateIntents(next.topology, next.index));
  const intents: IntentChange[] = [];
  const paths: PathChange[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])]) {
    const [b, a] = [before.get(name), after.get(name)];
    if (b?.holds !== a?.holds) intents.push({ name, ...(b ? { before: b.holds } : {}), ...(a ? { after: a.holds } : {}) });
    if (!a || !b) continue;
    const was = flows(b);
    for (const [target, now] of flows(a)) {
      const then = was.get(target);
      if (then && then.hops.join('\n') !== now.hops.join('\n')) paths.push({ intent: name, target, before: then, after: now });
    }
  }
  const arm = (side: Side) => armResources(toArmTemplate(side.topology, side.index).template, side.topology.azure.resourceGroups.network);
  const resources = resourceChanges(arm(old), arm(next));
  return { routes, intents, paths, resources, same: routes.length === 0 && intents.length === 0 && paths.length === 0 };
}

const byName = (results: readonly IntentResult[]) => new Map(results.map((r) => [r.intent.name, r]));

/** The flow an intent shows per target: its hops, request then reply. */
const flows = (r: IntentResult) => new Map(r.flows.map((f) => [f.target, { flow: `${f.source} → ${f.destination}`, hops: [...walkLines(f.request), ...(f.reply ? ['reply:', ...walkLines(f.reply)] : [])] }]));

/** Every resource of a template (deployed into `group`) and its modules, by resource group, type and name (a child's under its parent's). */
function armResources(template: ArmTemplate, group: string): Map<string, ArmResource> {
  const out = new Map<string, ArmResource>();
  const names = new Map(template.resources.map((r) => [r.symbol, r.name]));
  for (const r of template.resources) out.set(`${group} ${r.type} ${r.parent ? `${names.get(r.parent)}/` : ''}${r.name}`, r);
  for (const m of template.modules) for (const [key, r] of armResources(m.template, m.resourceGroup)) out.set(key, r);
  return out;
}

function resourceChanges(was: ReadonlyMap<string, ArmResource>, now: ReadonlyMap<string, ArmResource>): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const [key, r] of now) {
    const before = was.get(key);
    if (!before) out.push({ resource: key, change: 'added', settings: [] });
    else {
      const settings = differences(settingsOf(before), settingsOf(r));
      if (settings.length > 0) out.push({ resource: key, change: 'changed', settings });
    }
  }
  for (const key of was.keys()) if (!now.has(key)) out.push({ resource: key, change: 'removed', settings: [] });
  return out;
}

/** What Azure is asked to hold: not the template's bookkeeping (symbols, ordering). */
function settingsOf(r: ArmResource): unknown {
  const { symbol: _symbol, dependsOn: _dependsOn, parent: _parent, ...rest } = r as ArmResource & { dependsOn?: unknown };
  return rest;
}

/** The paths at which two JSON values differ, down to the first level that differs. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const objects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
  if (!objects) return [path || '(the whole resource)'];
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
  return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
}

export function diffText(d: TopologyDiff): string {
  const lines: string[] = [d.same ? 'behaviour: the same (routes, intents and paths)' : 'behaviour: differs'];
  const verdict = (v?: boolean) => (v === undefined ? 'not declared' : v ? 'holds' : 'FAILS');
  if (d.routes.length > 0) lines.push('', ...formatRouteChanges(d.routes));
  if (d.intents.length > 0) {
    lines.push('', 'intents whose verdict changes:');
    for (const i of d.intents) lines.push(`  ${i.name}: ${verdict(i.before)} → ${verdict(i.after)}`);
  }
  // Side by side, a * where the hops differ.
  for (const p of d.paths) {
    lines.push('', `path of ${p.intent} to ${p.target}:`);
    const [before, after] = [`before: ${p.before.flow}`, `after: ${p.after.flow}`];
    const width = Math.max(before.length, ...p.before.hops.map((h) => h.length));
    lines.push(`  ${before.padEnd(width)}  │ ${after}`);
    for (let i = 0; i < Math.max(p.before.hops.length, p.after.hops.length); i++) {
      const [b, a] = [p.before.hops[i] ?? '', p.after.hops[i] ?? ''];
      lines.push(`${b === a ? ' ' : '*'} ${b.padEnd(width)}  │ ${a}`.trimEnd());
    }
  }
  if (d.resources.length > 0) {
    lines.push('', `Azure resources that change (${d.resources.length}):`);
    for (const r of d.resources) lines.push(`  ${r.change.padEnd(7)}  ${r.resource}${r.settings.length > 0 ? `: ${r.settings.join(', ')}` : ''}`);
  } else lines.push('', 'Azure resources: the same');
  return `${lines.join('\n')}\n`;
}
