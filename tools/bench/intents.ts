/**
 * Intents at scale: the large synthetic topology with 1,000 intents (tools/bench/large-topology.ts),
 * loaded once; then the route simulation, and the data plane answering every intent, each timed
 * as the median of five fresh runs (a new topology object each time, so nothing is cached).
 *
 *   node --import tsx tools/bench/intents.ts [intents]   → one JSON line
 */
import { parseTopology } from '@hybridnet/model';
import { evaluateIntents, simulateRoutes } from '@hybridnet/validate';
import { largeTopology } from './large-topology.ts';

const count = Number(process.argv[2] ?? 1000);
const text = largeTopology(1000, 500, 5, { intents: count });
const runs: { simulation: number; intents: number; holds: number; flows: number }[] = [];
for (let run = 0; run < 5; run++) {
  const loaded = parseTopology(text, 'large.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const t0 = performance.now();
  simulateRoutes(loaded.topology, loaded.index);
  const t1 = performance.now();
  const results = evaluateIntents(loaded.topology, loaded.index);
  const t2 = performance.now();
  runs.push({ simulation: t1 - t0, intents: t2 - t1, holds: results.filter((r) => r.holds).length, flows: results.reduce((n, r) => n + r.walked, 0) });
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(`${JSON.stringify({ intents: count, simulationMs: Math.round(median(runs.map((r) => r.simulation))), intentsMs: Math.round(median(runs.map((r) => r.intents))), holds: runs[0]!.holds, flows: runs[0]!.flows })}\n`);
