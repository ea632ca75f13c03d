/**
 * `hybridnet lab up|test|down|fail|heal <topology>`: the topology on this machine with real
 * strongSwan, FRR and nftables (@hybridnet/lab), its intents run as packets beside the
 * simulation's verdicts. Exit codes as elsewhere: 0, 1 when an intent fails in the lab (or a daemon
 * fails), 2 for usage or a missing prerequisite, said in one line.
 */
import type { Topology, TopologyIndex } from '@hybridnet/model';
import type { Convergence, LabPlan, TestReport } from '@hybridnet/lab';
import { InputError } from './pipeline.ts';

export type LabAction = 'up' | 'test' | 'down' | 'fail' | 'heal';

export interface LabOptions {
  readonly format: 'text' | 'json';
  readonly file: string;
  readonly element?: string;
  readonly timeoutMs: number;
  readonly environment: NodeJS.ProcessEnv;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export async function runLab(action: LabAction, topology: Topology, index: TopologyIndex, options: LabOptions): Promise<number> {
  const lab = await import('@hybridnet/lab');
  const plan = lab.planLab(topology, index);
  try {
    switch (action) {
      case 'up':
        return await up(lab, plan, options);
      case 'down': {
        const r = await lab.labDown(plan.lab, options.environment);
        options.out(r.found ? `lab ${plan.lab} (${topology.name}) is down: ${r.processes} processes ended, ${r.namespaces} namespaces removed\n` : `no lab of ${topology.name} was up\n`);
        return 0;
      }
      case 'test': {
        const report = await lab.labTest(plan, topology, index, options.environment);
        options.out(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : testTable(report));
        return report.holds && report.agree ? 0 : 1;
      }
      case 'fail':
      case 'heal': {
        if (!options.element) throw new InputError(`lab ${action} needs an element: ${plan.elements.map((e) => e.name).join(', ') || 'this topology has none'}`);
        const r = await lab.labFail(plan, options.element, action === 'heal', options.environment);
        options.out(r.changed ? `${options.element} is ${action === 'fail' ? 'down' : 'up again'}; the fabric follows\n` : `${options.element} was already ${action === 'fail' ? 'down' : 'up'}\n`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof lab.LabError) {
      if (error.exitCode === 2) throw new InputError(error.message);
      options.err(`hybridnet: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function up(lab: typeof import('@hybridnet/lab'), plan: LabPlan, options: LabOptions): Promise<number> {
  let interrupted = false;
  // Ctrl-C during `up`: take down what was made, then end.
  const stop = () => {
    interrupted = true;
    options.err('hybridnet: interrupted; taking the lab down\n');
    void lab.labDown(plan.lab, options.environment).finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const started = Date.now();
    const r = await lab.labUp(plan, { file: options.file, env: options.environment, timeoutMs: options.timeoutMs, log: (line) => options.err(`${line}\n`) });
    if (interrupted) return 130;
    const notes = plan.notes.map((n) => `note: ${n}\n`).join('');
    options.out(`${r.already ? 'already up' : `up in ${((Date.now() - started) / 1000).toFixed(1)} s`}: lab ${plan.lab}, ${plan.nodes.length} namespaces (ip netns list | grep ${plan.lab})\n${convergenceText(r.convergence)}${notes}`);
    return r.convergence.sas.every((s) => s.up) && r.convergence.bgp.every((b) => b.up) ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function convergenceText(c: Convergence): string {
  const lines = [...c.sas.map((s) => `  ${s.up ? 'up  ' : 'DOWN'} IKE  ${s.label}${s.reason ? `: ${s.reason}` : ''}`), ...c.bgp.map((b) => `  ${b.up ? 'up  ' : 'DOWN'} BGP  ${b.label} (${b.state}${b.up ? `, ${b.prefixes} prefixes` : ''})${b.reason ? `: ${b.reason}` : ''}`)];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Intent, flow, the lab's verdict, the simulation's, and where they differ; then tunnels and sessions. */
export function testTable(report: TestReport): string {
  const rows = report.intents.flatMap((i) =>
    i.flows.map((f) => [
      i.intent,
      `${f.flow.from.label} → ${f.flow.to.label}:${f.flow.to.port}${f.flow.direction === 'reverse' ? ' (back)' : ''}`,
      f.lab.holds ? 'holds' : f.lab.verdict.toUpperCase(),
      f.simulation ? (f.simulation.holds ? 'holds' : f.simulation.verdict.toUpperCase()) : '—',
      f.agree ? '' : 'DIFFERS',
    ]),
  );
  const header = ['intent', 'flow', 'lab', 'simulation', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  const out = [...(report.failed.length > 0 ? [`down (lab fail): ${report.failed.join(', ')}; the simulation answers without them`, ''] : []), line(header), ...rows.map(line)];
  const why = report.intents.flatMap((i) => i.flows.filter((f) => !f.lab.holds || !f.agree).map((f) => `  ${i.intent}: lab: ${f.lab.why}${f.simulation && !f.agree ? `; simulation: ${f.simulation.why}` : ''}`));
  if (why.length > 0) out.push('', ...why);
  out.push('', ...report.tunnels.map((t) => `${t.up ? 'up  ' : 'DOWN'} IKE  ${t.label}${t.reason ? `: ${t.reason}` : ''}`), ...report.bgp.map((b) => `${b.up ? 'up  ' : 'DOWN'} BGP  ${b.label} (${b.state})${b.reason ? `: ${b.reason}` : ''}`));
  for (const n of report.notes) out.push(`note: ${n}`);
  out.push('', report.holds ? (report.agree ? 'Every intent holds in the lab, as the simulation says.' : 'Every intent holds in the lab; the simulation says otherwise where marked.') : `${report.intents.filter((i) => !i.labHolds).length} intent(s) fail in the lab${report.agree ? ', as the simulation says' : '; the lab and the simulation differ where marked'}.`);
  return `${out.join('\n')}\n`;
}
