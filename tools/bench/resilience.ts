/**
 * Resilient intents at scale: the large synthetic topology (tools/bench/large-topology.ts) with
 * 1,000 intents, every reach and symmetric one saying `survives: any-single-failure`; validate
 * answers them within RESILIENCE_BUDGET and reports the failure sets past it. Timed: the whole
 * of validateTopology, once (the answer is per topology object).
 *
 *   node --import tsx tools/bench/resilience.ts   → one JSON line
 */
import { parse, stringify } from 'yaml';
import { parseTopology } from '@hybridnet/model';
import { resilience, validateTopology } from '@hybridnet/validate';
import { largeTopology } from './large-topology.ts';

const raw = parse(largeTopology(1000, 500, 5, { intents: 1000 })) as { intents: { kind: string; survives?: string }[] };
for (const intent of raw.intents) if (intent.kind !== 'isolate') intent.survives = 'any-single-failure';
const loaded = parseTopology(stringify(raw, { lineWidth: 0 }), 'large.yaml');
if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
const t0 = performance.now();
const diagnostics = validateTopology(loaded.topology, loaded.index);
const ms = performance.now() - t0;
const rows = resilience(loaded.topology, loaded.index);
const sets = new Set(rows.flatMap((r) => r.failures.map((f) => f.elements.join(','))));
process.stdout.write(
  `${JSON.stringify({
    intents: rows.length,
    failureSetsAnswered: sets.size,
    unanswered: rows.reduce((n, r) => n + r.unanswered, 0),
    notResilient: diagnostics.filter((d) => d.code === 'hybridnet/validate/intent/not-resilient').length,
    notAnswered: diagnostics.filter((d) => d.code === 'hybridnet/validate/intent/too-large').length,
    ms: Math.round(ms),
  })}\n`,
);
