/**
 * `hybridnet routes <topology> --trace <intent>`: the hops of an intent's flows, request and
 * reply, as the data plane walks them (the failing flows, or one that holds per target).
 */
import { hopText, type FlowResult, type IntentResult, type WalkResult } from '@hybridnet/validate';

export function traceText(result: IntentResult): string {
  const { intent } = result;
  const lines = [`intent "${intent.name}": ${intent.kind} from ${intent.from} to ${intent.to.join(', ')}${intent.kind !== 'isolate' && intent.via ? ` via ${intent.via}` : ''}: ${result.holds ? 'holds' : 'FAILS'} (${result.walked - result.failed} of ${result.walked} flows hold)`];
  for (const p of result.problems) lines.push(`  ${p.message}`);
  for (const flow of result.flows) {
    lines.push('', `  ${flow.source} → ${flow.destination} (${flow.target}), ${flow.traffic}: ${flow.verdict} — ${flow.why}`);
    lines.push(...walkLines('request', flow.request));
    if (flow.reply) lines.push(...walkLines('reply', flow.reply));
  }
  return `${lines.join('\n')}\n`;
}

function walkLines(title: string, w: WalkResult): string[] {
  return [`    ${title}:`, ...w.hops.map((h, i) => `      ${i + 1}. ${hopText(h)}`), ...(w.drop ? [`      ✗ dropped at ${w.drop.at}: ${w.drop.why}`] : [])];
}

export function traceJson(result: IntentResult): unknown {
  const walkJson = (w: WalkResult) => ({ hops: w.hops, ...(w.delivered ? { delivered: w.delivered } : {}), ...(w.drop ? { dropped: w.drop } : {}) });
  return {
    intent: result.intent.name,
    kind: result.intent.kind,
    holds: result.holds,
    flows: { walked: result.walked, failed: result.failed },
    problems: result.problems.map((p) => p.message),
    traces: result.flows.map((f: FlowResult) => ({ target: f.target, source: f.source, destination: f.destination, traffic: f.traffic, verdict: f.verdict, why: f.why, request: walkJson(f.request), ...(f.reply ? { reply: walkJson(f.reply) } : {}) })),
  };
}
