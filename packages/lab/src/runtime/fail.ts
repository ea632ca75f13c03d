/**
 * `lab fail <element>` and `lab heal <element>`: a tunnel, a gateway instance, a connection or an
 * ExpressRoute circuit taken down and brought back. Down means its links are down: a tunnel's two
 * Internet sides (and its SA ended, so the inner links follow at once), an instance's link to the
 * fabric with its tunnels, a circuit's link. The daemons notice as they would (BGP's hold timer,
 * IKE's retries); the lab waits until the routers settle and syncs the fabric.
 */
import { join } from 'node:path';
import type { LabPlan } from '../ir.ts';
import { routeCommand } from './commands.ts';
import { waitForStableRoutes } from './observe.ts';
import { syncFabric } from './sdn.ts';
import { ipBatch, LabError, labRoot, nsName, readState, run, writeState } from './system.ts';

export async function labFail(plan: LabPlan, element: string, heal: boolean, env: NodeJS.ProcessEnv = process.env): Promise<{ element: string; changed: boolean }> {
  const dir = join(labRoot(env), plan.lab);
  const e = plan.elements.find((x) => x.name === element);
  if (!e) throw new LabError(`no element "${element}" in the lab of "${plan.topology}"; it has: ${plan.elements.map((x) => x.name).join(', ') || 'none'}`);
  const state = readState(dir);
  if (!state?.complete) throw new LabError(`the lab of "${plan.topology}" is not up: run hybridnet lab up first`);
  const failed = new Set(state.failed);
  if (heal ? !failed.has(element) : failed.has(element)) return { element, changed: false };
  if (heal) failed.delete(element);
  else failed.add(element);
  // An interface another failed element also holds down stays down.
  const stillDown = new Set(plan.elements.filter((x) => failed.has(x.name)).flatMap((x) => x.interfaces.map((i) => `${i.node}/${i.ifname}`)));
  const byNode = new Map<string, string[]>();
  for (const i of e.interfaces) {
    if (heal && stillDown.has(`${i.node}/${i.ifname}`)) continue;
    byNode.set(i.node, [...(byNode.get(i.node) ?? []), `link set ${i.ifname} ${heal ? 'up' : 'down'}`]);
  }
  for (const [node, commands] of byNode) ipBatch(nsName(plan.lab, node), commands);
  // A link set down takes its routes with it (the kernel's doing); bringing it back brings them back.
  if (heal) for (const node of byNode.keys()) ipBatch(nsName(plan.lab, node), plan.nodes.find((n) => n.id === node)!.routes.map(routeCommand), true);
  // Tunnel ends touched: end their SA when failing (the inner link follows), start it again when healing.
  for (const node of byNode.keys()) {
    const ike = plan.nodes.find((n) => n.id === node)?.ike;
    if (!ike) continue;
    for (const c of ike.connections) {
      const uri = `unix://${join(dir, node, 'charon.vici')}`;
      const conf = { ...env, STRONGSWAN_CONF: join(dir, node, 'strongswan.conf') };
      if (!heal) run('swanctl', ['--terminate', '--ike', c.name, '--force', '--timeout', '2', '--uri', uri], { allowFail: true, env: conf, timeoutMs: 5000 });
      else if (c.initiate) run('swanctl', ['--initiate', '--child', c.name, '--timeout', '5', '--uri', uri], { allowFail: true, env: conf, timeoutMs: 8000 });
    }
  }
  state.failed = [...failed];
  writeState(dir, state);
  // BGP notices a session lost over a tunnel by its hold timer (3 s).
  await new Promise((resolve) => setTimeout(resolve, heal || plan.expect.bgp.length === 0 ? 1000 : 3500));
  await waitForStableRoutes(plan, dir, 10_000);
  syncFabric(plan, dir, state.failed);
  return { element, changed: true };
}
