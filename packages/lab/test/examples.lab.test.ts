/**
 * The three examples in a real lab (side by side): every intent holds as packets and the lab
 * agrees with the simulation; with one element of each kind failed in turn (a tunnel, an
 * instance, a connection, a circuit), the lab agrees with the simulation of the topology without
 * it; healed, everything holds again; `up` twice is one lab; `down` leaves nothing. Needs Linux,
 * root and the lab's Debian packages (tools/test-support/lab.ts).
 */
import { describe, expect, it } from 'vitest';
import { labDown, labFail, labTest, labUp, planLab, type TestReport } from '@hybridnet/lab';
import { canRun, env, EXAMPLES, labExampleText, leftovers, load, missing } from '../../../tools/test-support/lab.ts';

const disagreements = (r: TestReport) => r.intents.flatMap((i) => i.flows.filter((f) => !f.agree).map((f) => `${i.intent}: ${f.flow.from.label} → ${f.flow.to.label}: lab ${f.lab.verdict} (${f.lab.why}), simulation ${f.simulation?.verdict} (${f.simulation?.why})`));

describe.runIf(!canRun && process.env.CI === 'true')('the lab under CI', () => {
  it('has its prerequisites', () => expect(missing).toEqual([]));
});

describe.runIf(canRun).concurrent('the examples in the lab', () => {
  it.each(EXAMPLES)('%s', async (name) => {
    const { topology, index } = load(labExampleText(name));
    const plan = planLab(topology, index);
    try {
      const up = await labUp(plan, { env });
      expect([...up.convergence.sas, ...up.convergence.bgp].filter((s) => !s.up).map((s) => s.label)).toEqual([]);
      expect((await labUp(plan, { env })).already).toBe(true);
      const report = await labTest(plan, topology, index, env);
      expect(disagreements(report)).toEqual([]);
      expect(report.intents.filter((i) => !i.labHolds).map((i) => i.intent)).toEqual([]);
      const kinds = [...new Map(plan.elements.map((e) => [e.kind, e])).values()];
      for (const element of kinds) {
        await labFail(plan, element.name, false, env);
        const failed = await labTest(plan, topology, index, env);
        expect(failed.failed).toEqual([element.name]);
        expect(disagreements(failed), `with ${element.name} down`).toEqual([]);
        await labFail(plan, element.name, true, env);
      }
      const healed = await labTest(plan, topology, index, env);
      expect(healed.intents.filter((i) => !i.labHolds).map((i) => i.intent), 'after healing').toEqual([]);
    } finally {
      await labDown(plan.lab, env);
    }
    expect(leftovers(plan.lab)).toEqual([]);
  });
});
