/**
 * Differential testing: seeded random topologies (the pipeline tests' generator, with intents)
 * in a real lab. On every flow the lab and the simulation must agree, with everything up and with
 * one element failed. Every disagreement found was a bug in one of them (the closing note of the
 * lab's issue lists them); the seeds that found them stay here. Two labs also run side by side.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labDown, labFail, labTest, labUp, planLab, type TestReport } from '@hybridnet/lab';
import { shape, topologyText } from '../../../tools/test-support/random-topology.ts';
import { canRun, env, labExampleText, labTopologyName, leftovers, load } from '../../../tools/test-support/lab.ts';

const topologyOf = (seed: number) => load(topologyText(fc.sample(shape, { seed, numRuns: 1 })[0]!, { intents: true, name: labTopologyName(`random-${seed}`) }));
const disagreements = (r: TestReport) => r.intents.flatMap((i) => i.flows.filter((f) => !f.agree).map((f) => `${i.intent}: ${f.flow.from.label} → ${f.flow.to.label}: lab ${f.lab.verdict} (${f.lab.why}), simulation ${f.simulation?.verdict} (${f.simulation?.why})`));

// 3: active-active, static, two sites in AWS, a firewall; 4: BGP with a spoke; 7: two hubs, two
// sites; 9: active-active with BGP, three sites in AWS.
const SEEDS = [3, 4, 7, 9];

describe.runIf(canRun).concurrent('the lab and the simulation agree on random topologies', () => {
  it.each(SEEDS)('seed %i, and with its first element failed', async (seed) => {
    const { topology, index } = topologyOf(seed);
    const plan = planLab(topology, index);
    expect(plan.gaps).toEqual([]);
    try {
      await labUp(plan, { env });
      expect(disagreements(await labTest(plan, topology, index, env))).toEqual([]);
      const element = plan.elements[0]!;
      await labFail(plan, element.name, false, env);
      expect(disagreements(await labTest(plan, topology, index, env)), `with ${element.name} down`).toEqual([]);
    } finally {
      await labDown(plan.lab, env);
    }
    expect(leftovers(plan.lab)).toEqual([]);
  });

  it("a site in AWS reaches the Internet through its VPC's Internet gateway, in the lab as in the simulation (the lab found the simulation without the VPC's default route)", async () => {
    const text = labExampleText('webapp-hybrid', 'hybrid-internet').replace(/^intents:\n/m, 'intents:\n  - name: aws-out\n    kind: reach\n    from: onprem-aws\n    to: [198.51.100.10]\n');
    const { topology, index } = load(text);
    const plan = planLab(topology, index);
    try {
      await labUp(plan, { env });
      const report = await labTest(plan, topology, index, env);
      expect(disagreements(report)).toEqual([]);
      expect(report.intents.find((i) => i.intent === 'aws-out')).toMatchObject({ labHolds: true, simulationHolds: true });
    } finally {
      await labDown(plan.lab, env);
    }
    expect(leftovers(plan.lab)).toEqual([]);
  });

  it('two labs side by side, each with its own namespaces and daemons', async () => {
    const labs = [2, 12].map(topologyOf).map((t) => ({ ...t, plan: planLab(t.topology, t.index) }));
    try {
      await Promise.all(labs.map((l) => labUp(l.plan, { env })));
      for (const l of labs) {
        const report = await labTest(l.plan, l.topology, l.index, env);
        expect(report.holds && report.agree).toBe(true);
      }
    } finally {
      for (const l of labs) await labDown(l.plan.lab, env);
    }
    for (const l of labs) expect(leftovers(l.plan.lab)).toEqual([]);
  });
});
