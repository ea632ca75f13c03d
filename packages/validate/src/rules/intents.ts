/**
 * Intents, answered by the data plane (../intents.ts): a failing intent is an error on the
 * intent with the path traced hop by hop. The routing warnings that guess at a path (ExpressRoute
 * and VPN branches without Route Server, a route to a firewall without a pass rule, a firewall
 * bypassed by more specific gateway routes) become errors when a failing intent needs that path.
 */
import { containsAddress, parseIp, parsePrefix, type Diagnostic, type ModelPath } from '@hybridnet/model';
import type { Context } from '../context.ts';
import { evaluateIntents, traceLine, type FlowResult, type IntentResult } from '../intents.ts';
import { RESILIENCE_BUDGET, resilience } from '../resilience.ts';
import type { ValidateCode } from '../codes.ts';

const CODE: Record<Exclude<FlowResult['verdict'], 'holds'>, ValidateCode> = {
  dropped: 'hybridnet/validate/intent/unreachable',
  'no-return': 'hybridnet/validate/intent/unreachable',
  'bypasses-firewall': 'hybridnet/validate/intent/bypasses-firewall',
  asymmetric: 'hybridnet/validate/intent/asymmetric',
  reachable: 'hybridnet/validate/intent/reachable',
};

export function checkIntents(ctx: Context): void {
  if (ctx.topology.intents.length === 0) return;
  const results = evaluateIntents(ctx.topology, ctx.index);
  for (const result of results) {
    for (const p of result.problems) ctx.report(p.code === 'too-large' ? 'hybridnet/validate/intent/too-large' : 'hybridnet/validate/intent/endpoint', p.path, p.message, p.hint);
    const reported = new Set<string>();
    for (const flow of result.flows) {
      const key = `${flow.target}\n${flow.verdict}`;
      if (flow.verdict === 'holds' || reported.has(key)) continue;
      reported.add(key);
      const j = result.intent.to.indexOf(flow.target);
      ctx.report(CODE[flow.verdict], [...result.path, ...(result.intent.to.length > 1 ? ['to', j] : [])], flowMessage(result, flow), hintFor(result, flow));
    }
  }
  escalate(ctx, results);
  checkResilience(ctx, results);
}

/** `kind:name` as a sentence names it: "tunnel webapp-to-aws/0". */
const elementText = (element: string) => element.replace(':', ' ');

/** Each intent that holds is answered under the failures it says it survives; the first that breaks it is an error. */
function checkResilience(ctx: Context, results: readonly IntentResult[]): void {
  if (!ctx.topology.intents.some((i) => i.kind !== 'isolate' && i.survives)) return;
  for (const row of resilience(ctx.topology, ctx.index)) {
    const path: ModelPath = ['intents', row.at, 'survives'];
    for (const u of row.unknown) ctx.report('hybridnet/validate/intent/failure-unknown', [...path, u.set, u.element], `intent "${row.intent}": survives: ${u.message}`, 'name a connection, connection/tunnel, gateway, gateway/instance, Route Server, firewall or site (hybridnet routes --fail lists them)');
    if (!results[row.at]!.holds) continue;
    if (row.unanswered > 0) {
      const total = row.unanswered + row.failures.length;
      ctx.report('hybridnet/validate/intent/too-large', path, `intent "${row.intent}": ${row.unanswered} of its ${total} failure sets are not answered: hybridnet works out failures of one topology up to ${RESILIENCE_BUDGET.toLocaleString('en')} units of work (a node worked out again is one, an intent answered again a hundred)`, 'name the failure sets that matter (survives: [[…], …]) instead of any-single-failure, or fewer intents with survives:');
    }
    const broken = row.failures.find((f) => !f.holds);
    if (!broken) continue;
    const survives = ctx.topology.intents[row.at]!;
    const at = survives.kind !== 'isolate' && Array.isArray(survives.survives) ? [...path, broken.set] : path;
    const what = broken.elements.map(elementText);
    ctx.report(
      'hybridnet/validate/intent/not-resilient',
      at,
      `intent "${row.intent}" fails when ${what.join(' and ')} ${what.length > 1 ? 'are' : 'is'} down: ${broken.why ?? 'its traffic no longer flows'}`,
      'give the traffic a second path: an active-active gateway with a tunnel to each instance, a second connection or circuit, or a second firewall',
    );
  }
}

function flowMessage(result: IntentResult, flow: FlowResult): string {
  const { intent } = result;
  const what = intent.kind === 'isolate' ? 'must not reach' : 'must reach';
  const count = result.failed > 1 ? ` (${result.failed} of ${result.walked} flows fail)` : '';
  return `intent "${intent.name}": ${intent.from} (${flow.source}) ${what} ${flow.target} (${flow.destination}) on ${flow.traffic}, but ${flow.why}${count}; path: ${traceLine(flow.request)}${flow.reply ? `; reply: ${traceLine(flow.reply)}` : ''}`;
}

function hintFor(result: IntentResult, flow: FlowResult): string {
  switch (flow.verdict) {
    case 'reachable':
      return 'remove the route that carries it, or add a blocking firewall rule on its path';
    case 'bypasses-firewall':
      return `route ${flow.destination} to "${result.intent.kind !== 'isolate' && result.intent.via}" in the route table of the subnet it leaves (GatewaySubnet for traffic from the gateways), and the reply back the same way`;
    case 'asymmetric':
      return 'give the reply the same route back: a route table on the far side toward the same firewall, or source NAT on the firewall';
    default:
      if ((flow.reply?.drop ?? flow.request.drop)?.why.startsWith('network security group')) return 'allow the traffic in that group with a rule whose priority number is lower than the one that denies it (or name the port the group allows)';
      return flow.reply && !flow.reply.delivered ? 'give the far side a route back to the source (azureAddressSpace, BGP advertisements or a route table)' : `add a route toward ${flow.destination} at ${flow.request.drop?.at ?? 'the hop that drops it'}, or a pass rule on the firewall`;
  }
}

/** Findings about a path some traffic may need: errors when a failing intent needs it, warnings when none does. */
const PATH_FINDINGS: ReadonlySet<string> = new Set(['hybridnet/validate/routing/er-vpn-transit-needs-route-server', 'hybridnet/validate/routing/firewall-rule-missing', 'hybridnet/validate/routing/firewall-bypassed', 'hybridnet/validate/routing/p2s-return-path']);

/**
 * Once the topology says what must work, a finding about a path is an error when a failing intent
 * needs that path and a warning when none does (a point-to-site pool no site routes back is then
 * a choice, not a mistake).
 */
function escalate(ctx: Context, results: readonly IntentResult[]): void {
  const failing = results.flatMap((r) => r.flows.filter((f) => f.verdict !== 'holds' && f.verdict !== 'reachable').map((f) => ({ r, f })));
  ctx.diagnostics.forEach((d, i) => {
    if (!PATH_FINDINGS.has(d.code)) return;
    const need = failing.find(({ r, f }) => needs(ctx, d, r, f));
    if (need) ctx.diagnostics[i] = { ...d, severity: 'error', message: `${d.message} (intent "${need.r.intent.name}" needs this path)` } satisfies Diagnostic;
    else if (d.severity === 'error') ctx.diagnostics[i] = { ...d, severity: 'warning', message: `${d.message} (no intent needs this path)` } satisfies Diagnostic;
  });
}

function needs(ctx: Context, d: Diagnostic, r: IntentResult, f: FlowResult): boolean {
  const { topology, index } = ctx;
  const at = (path: ModelPath, i: number) => path[i] as number;
  switch (d.code) {
    case 'hybridnet/validate/routing/er-vpn-transit-needs-route-server': {
      const vnet = topology.azure.vnets[at(d.path, 2)]!;
      const sitesOf = (type: string, gateway?: string) => new Set(topology.connections.flatMap((c) => (c.type === type && 'gateway' in c && c.gateway === gateway ? [c.site] : [])));
      const er = sitesOf('expressroute', vnet.expressRouteGateway?.name);
      const vpn = sitesOf('site-to-site', vnet.vpnGateway?.name);
      const [a, b] = [f.sourceSite ?? '', f.destinationSite ?? ''];
      return (er.has(a) && vpn.has(b)) || (vpn.has(a) && er.has(b));
    }
    case 'hybridnet/validate/routing/firewall-rule-missing':
    case 'hybridnet/validate/routing/firewall-bypassed': {
      const route = topology.azure.routeTables[at(d.path, 2)]?.routes[at(d.path, 4)];
      const firewall = route && typeof route.nextHop === 'object' ? route.nextHop.virtualAppliance : undefined;
      if (!firewall || !index.firewalls.has(firewall)) return false;
      if (d.code === 'hybridnet/validate/routing/firewall-rule-missing') return f.request.drop?.at === `firewall ${firewall}`;
      return (f.verdict === 'bypasses-firewall' && r.intent.kind !== 'isolate' && r.intent.via === firewall) || (f.verdict === 'asymmetric' && f.why.includes(`"${firewall}"`));
    }
    case 'hybridnet/validate/routing/p2s-return-path': {
      const c = topology.connections[at(d.path, 1)];
      if (c?.type !== 'site-to-site') return false;
      const pool = (index.vpnGateways.get(c.gateway)?.value.pointToSite?.addressPool ?? []).map((t) => parsePrefix(t)).flatMap((p) => (p.ok ? [p.value] : []));
      const inPool = (text: string) => {
        const ip = parseIp(text);
        return ip.ok && pool.some((p) => containsAddress(p, ip.value.value, ip.value.version));
      };
      return (inPool(f.source) && f.destinationSite === c.site) || (f.sourceSite === c.site && inPool(f.destination));
    }
    default:
      return false;
  }
}
