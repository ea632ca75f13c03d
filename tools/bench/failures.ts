/**
 * Every single failure of the large synthetic topology (tools/bench/large-topology.ts: 1,000
 * spokes, 500 sites, 5 hubs) with its 1,000 intents: each element `hybridnet routes --fail` can
 * fail (1,005: connections, gateways, sites), every intent answered with it down, by the failure
 * analysis that works out again only what a failure touches (packages/validate/src/incremental.ts).
 * Timed: the intents answered as they are (what validation does anyway), then all the failures.
 * A few failures, spread over the kinds, are checked against a full recomputation (not timed).
 *
 *   node --import tsx tools/bench/failures.ts   → one JSON line
 */
import { parseTopology } from '@hybridnet/model';
import { evaluateIntents, failureAnalysis, failureElements, topologyWithFailures } from '@hybridnet/validate';
import { largeTopology } from './large-topology.ts';

const loaded = parseTopology(largeTopology(1000, 500, 5, { intents: 1000 }), 'large.yaml');
if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
const { topology, index } = loaded;

let t0 = performance.now();
const baseline = evaluateIntents(topology, index);
const baselineMs = performance.now() - t0;

t0 = performance.now();
const analysis = failureAnalysis(topology, index);
const elements = failureElements(topology, index);
let answeredAgain = 0;
let broken = 0;
const answers = elements.map((element) => {
  const answer = analysis.answer([element]);
  answeredAgain += answer.answered;
  for (const [i, r] of answer.results) if (baseline[i]!.holds && !r.holds) broken++;
  return answer;
});
const failuresMs = performance.now() - t0;

// Checked against a full recomputation: a connection, a site, a gateway.
const checked = ['connection:conn-7', 'site:site-123', 'gateway:vgw-hub-2'].map((element) => {
  const down = topologyWithFailures(topology, index, [element]);
  const full = evaluateIntents(down.topology, down.index);
  const quick = answers[elements.indexOf(element)]!;
  const differ = full.filter((r, i) => r.holds !== quick.results.get(i)!.holds || r.failedPairs !== quick.results.get(i)!.failedPairs).length;
  if (differ > 0) throw new Error(`${element}: ${differ} intents answered differently from a full recomputation`);
  return element;
});

process.stdout.write(
  `${JSON.stringify({
    elements: elements.length,
    intents: topology.intents.length,
    answeredAgain,
    broken,
    baselineMs: Math.round(baselineMs),
    failuresMs: Math.round(failuresMs),
    checked,
  })}\n`,
);
