/**
 * `lab test`: each intent as real traffic. For every flow of the plan, one TCP connection from its
 * source host (each with its own source port), counted as it arrives at and leaves every
 * forwarding node; the connection's fate and those counts give the lab's verdict (held, dropped
 * and where, no reply, not through the firewall it must cross, back by another way), which is set
 * beside the simulation's verdict on the same two addresses. The daemons' own state of every
 * tunnel and BGP session comes with it.
 */
import { join } from 'node:path';
import type { Intent, Topology, TopologyIndex } from '@hybridnet/model';
import { flowVerdict, topologyWithFailures, type Verdict } from '@hybridnet/validate';
import type { LabFlow, LabPlan } from '../ir.ts';
import { bgpState, ikeReason, saState, type BgpState, type SaState } from './observe.ts';
import { syncFabric } from './sdn.ts';
import { inNs, LabError, labRoot, nsName, readState, runAsync, writeState } from './system.ts';

export interface FlowOutcome {
  readonly flow: LabFlow;
  readonly lab: { readonly verdict: Verdict; readonly holds: boolean; readonly why: string; readonly request: string[]; readonly reply: string[] };
  readonly simulation: { readonly verdict: Verdict; readonly holds: boolean; readonly why: string } | null;
  readonly agree: boolean;
}

export interface IntentOutcome {
  readonly intent: string;
  readonly kind: Intent['kind'];
  readonly labHolds: boolean;
  readonly simulationHolds: boolean;
  readonly flows: FlowOutcome[];
}

export interface TestReport {
  readonly lab: string;
  readonly topology: string;
  /** Elements `lab fail` holds down (the simulation answers without them). */
  readonly failed: readonly string[];
  readonly tunnels: SaState[];
  readonly bgp: BgpState[];
  readonly intents: IntentOutcome[];
  readonly notes: readonly string[];
  /** Every intent holds in the lab. */
  readonly holds: boolean;
  /** The lab and the simulation agree on every flow. */
  readonly agree: boolean;
}

const PROBE_TIMEOUT_MS = 1500;

export async function labTest(plan: LabPlan, topology: Topology, index: TopologyIndex, env: NodeJS.ProcessEnv = process.env): Promise<TestReport> {
  const dir = join(labRoot(env), plan.lab);
  const state = readState(dir);
  if (!state?.complete) throw new LabError(`the lab of "${plan.topology}" is not up: run hybridnet lab up first`);
  syncFabric(plan, dir, state.failed);
  const base = 40000 + (state.runs % 4) * 1000;
  state.runs++;
  writeState(dir, state);
  const tracing = plan.nodes.filter((n) => n.forwarding);
  for (const n of tracing) inNs(nsName(plan.lab, n.id), 'nft', ['-f', '-'], { input: ['in_req', 'out_req', 'in_rep', 'out_rep'].map((s) => `flush set inet hnlab ${s}`).join('\n') });
  const results = new Map<number, { ok: boolean; error?: string }>();
  const bySource = new Map<string, LabFlow[]>();
  for (const f of plan.flows) bySource.set(f.from.node, [...(bySource.get(f.from.node) ?? []), f]);
  await Promise.all(
    [...bySource].map(async ([node, flows]) => {
      const probes = flows.map((f) => ({ address: f.to.address, port: f.to.port, localPort: base + f.id, timeoutMs: PROBE_TIMEOUT_MS }));
      const run = await runAsync('ip', ['netns', 'exec', nsName(plan.lab, node), process.execPath, join(dir, 'probe.mjs'), JSON.stringify(probes)], 10_000 + PROBE_TIMEOUT_MS);
      let parsed: { ok: boolean; error?: string }[] = [];
      try {
        parsed = JSON.parse(run.stdout);
      } catch {
        const why = run.stderr.trim().split('\n').at(-1) || `exit ${run.status}, ${JSON.stringify(run.stdout.slice(0, 200))}`;
        parsed = flows.map(() => ({ ok: false, error: `the probe did not run: ${why}` }));
      }
      flows.forEach((f, i) => results.set(f.id, parsed[i] ?? { ok: false, error: 'no result' }));
    }),
  );
  const seen = traces(plan, tracing.map((n) => n.id));
  const device = devices(plan);
  // The simulation answers for the network as it is now: without what lab fail holds down.
  const simulation = topologyWithFailures(topology, index, state.failed);
  const intents = topology.intents.flatMap((intent): IntentOutcome[] => {
    const flows = plan.flows.filter((f) => f.intent === intent.name).map((flow): FlowOutcome => {
      const port = base + flow.id;
      const lab = labVerdict(plan, flow, results.get(flow.id)!, seen, port, device);
      const sim = simulated(simulation.topology, simulation.index, intent, flow);
      return { flow, lab, simulation: sim, agree: sim === null || sim.holds === lab.holds };
    });
    if (flows.length === 0) return [];
    return [{ intent: intent.name, kind: intent.kind, labHolds: flows.every((f) => f.lab.holds), simulationHolds: flows.every((f) => f.simulation?.holds ?? true), flows }];
  });
  const tunnels = plan.expect.sas.map((e) => {
    const s = saState(plan, dir, e.node, e.label);
    return s.up ? s : { ...s, reason: ikeReason(plan, dir, e.node) };
  });
  const bgp = plan.expect.bgp.map((e) => bgpState(plan, dir, e.node, e.peer, e.label));
  return { lab: plan.lab, topology: plan.topology, failed: state.failed, tunnels, bgp, intents, notes: plan.notes, holds: intents.every((i) => i.labHolds), agree: intents.every((i) => i.flows.every((f) => f.agree)) };
}

type Seen = Map<string, { inReq: Set<number>; outReq: Set<number>; inRep: Set<number>; outRep: Set<number> }>;

/** Which probe ports each forwarding node saw arrive and leave, request and reply. */
function traces(plan: LabPlan, nodes: readonly string[]): Seen {
  const seen: Seen = new Map();
  for (const node of nodes) {
    const out = inNs(nsName(plan.lab, node), 'nft', ['-j', 'list', 'table', 'inet', 'hnlab'], { allowFail: true }).stdout;
    const sets: Record<string, Set<number>> = {};
    try {
      for (const item of (JSON.parse(out) as { nftables: { set?: { name: string; elem?: number[] } }[] }).nftables) if (item.set) sets[item.set.name] = new Set(item.set.elem ?? []);
    } catch {
      /* a node without the table saw nothing */
    }
    seen.set(node, { inReq: sets.in_req ?? new Set(), outReq: sets.out_req ?? new Set(), inRep: sets.in_rep ?? new Set(), outRep: sets.out_rep ?? new Set() });
  }
  return seen;
}

/** The devices verdicts speak of: a gateway (any of its instances) or a firewall, by node. */
function devices(plan: LabPlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of plan.fabric?.gateways ?? []) out.set(g.node, `gateway ${g.gateway}`);
  for (const n of plan.nodes) if (n.role === 'firewall') out.set(n.id, n.label);
  return out;
}

function labVerdict(plan: LabPlan, flow: LabFlow, result: { ok: boolean; error?: string }, seen: Seen, port: number, device: Map<string, string>): FlowOutcome['lab'] {
  const label = (id: string) => plan.nodes.find((n) => n.id === id)?.label ?? id;
  const order = [...seen.keys()];
  const request = order.filter((n) => seen.get(n)!.inReq.has(port));
  const reply = order.filter((n) => seen.get(n)!.inRep.has(port));
  const crossed = (nodes: string[]) => [...new Set(nodes.flatMap((n) => (device.has(n) ? [device.get(n)!] : [])))];
  const base = { request: crossed(request), reply: crossed(reply) };
  if (flow.kind === 'isolate') {
    return result.ok ? { ...base, verdict: 'reachable', holds: false, why: `the connection opened (through ${request.map(label).join(', ') || 'nothing in between'})` } : { ...base, verdict: 'holds', holds: true, why: `no connection: ${result.error}` };
  }
  if (!result.ok) {
    const stuck = request.filter((n) => !seen.get(n)!.outReq.has(port));
    const lostReply = reply.filter((n) => !seen.get(n)!.outRep.has(port));
    if (reply.length > 0) return { ...base, verdict: 'no-return', holds: false, why: `the reply ${lostReply.length > 0 ? `stopped at ${lostReply.map(label).join(', ')}` : 'never came back'} (${result.error})` };
    return { ...base, verdict: 'dropped', holds: false, why: `${result.error}: ${stuck.length > 0 ? `the request stopped at ${stuck.map(label).join(', ')}` : request.length > 0 ? `the request crossed ${request.map(label).join(', ')} and got no answer` : 'the request never left its source'}` };
  }
  if (flow.via && !request.includes(flow.via.node)) return { ...base, verdict: 'bypasses-firewall', holds: false, why: `the connection opened without crossing firewall ${flow.via.firewall}` };
  if (flow.kind === 'symmetric' && [...base.request].sort().join('|') !== [...base.reply].sort().join('|')) {
    return { ...base, verdict: 'asymmetric', holds: false, why: `the request crossed ${base.request.join(', ') || 'nothing'}, the reply ${base.reply.join(', ') || 'nothing'}` };
  }
  return { ...base, verdict: 'holds', holds: true, why: `connected through ${request.map(label).join(', ') || 'nothing in between'}` };
}

/** The simulation's verdict on the same two addresses (for the way back of a symmetric intent, the reverse intent). */
function simulated(topology: Topology, index: TopologyIndex, intent: Intent, flow: LabFlow): FlowOutcome['simulation'] {
  const asked: Intent = flow.direction === 'forward' ? intent : { ...intent, from: flow.from.address, to: [flow.to.address] };
  const v = flowVerdict(topology, index, asked, flow.from.address, flow.to.address);
  return v ? { verdict: v.verdict, holds: v.verdict === 'holds', why: v.why } : null;
}
