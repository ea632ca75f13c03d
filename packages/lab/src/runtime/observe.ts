/**
 * What the daemons themselves say: each tunnel's IKE and child SA from charon (swanctl), each BGP
 * session from bgpd (vtysh, JSON), and when one is not up, the daemon's own reason: the last IKE
 * error in charon's log (NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, no answer), the last BGP
 * notification (a bad peer AS, say).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabPlan } from '../ir.ts';
import { inNs, nsName, run, sleep } from './system.ts';

export interface SaState {
  readonly node: string;
  readonly label: string;
  readonly up: boolean;
  readonly reason?: string;
}

export interface BgpState {
  readonly node: string;
  readonly peer: string;
  readonly label: string;
  readonly up: boolean;
  readonly state: string;
  readonly prefixes: number;
  readonly reason?: string;
}

export interface Convergence {
  readonly sas: SaState[];
  readonly bgp: BgpState[];
  readonly ms: number;
}

/** Polls until every expected SA and BGP session is up, or the time is over; then says each one's state. */
export async function waitForConvergence(plan: LabPlan, dir: string, timeoutMs: number): Promise<Convergence> {
  const start = Date.now();
  for (;;) {
    const sas = plan.expect.sas.map((e) => saState(plan, dir, e.node, e.label));
    const bgp = plan.expect.bgp.map((e) => bgpState(plan, dir, e.node, e.peer, e.label));
    if ((sas.every((s) => s.up) && bgp.every((b) => b.up)) || Date.now() - start > timeoutMs) {
      return { sas: sas.map((s) => (s.up ? s : { ...s, reason: ikeReason(plan, dir, s.node) })), bgp, ms: Date.now() - start };
    }
    await sleep(250);
  }
}

export function saState(plan: LabPlan, dir: string, node: string, label: string): SaState {
  const vici = join(dir, node, 'charon.vici');
  if (!existsSync(vici)) return { node, label, up: false, reason: 'charon is not running' };
  const out = run('swanctl', ['--list-sas', '--uri', `unix://${vici}`], { allowFail: true, env: { ...process.env, STRONGSWAN_CONF: join(dir, node, 'strongswan.conf') } }).stdout;
  return { node, label, up: /ESTABLISHED/.test(out) && /INSTALLED/.test(out) };
}

/** The last IKE error either end of a tunnel logged. */
export function ikeReason(plan: LabPlan, dir: string, node: string): string {
  const peer = node.endsWith('s') ? `${node.slice(0, -1)}a` : node.endsWith('a') && node.startsWith('t') ? `${node.slice(0, -1)}s` : undefined;
  const patterns: [RegExp, string][] = [
    [/NO_PROPOSAL_CHOSEN|no acceptable proposal|no matching proposal|inacceptable/i, 'IKE NO_PROPOSAL_CHOSEN'],
    [/AUTHENTICATION_FAILED|MAC mismatch|verification of .* failed|no shared key found/i, 'IKE AUTHENTICATION_FAILED'],
    [/TS_UNACCEPTABLE/, 'IKE TS_UNACCEPTABLE'],
    [/no IKE config found|no matching peer config/i, 'IKE: no matching peer configuration'],
    [/giving up after|peer not responding|retransmit \d+ of request/i, 'IKE: no answer from the peer'],
  ];
  const lines = [node, ...(peer ? [peer] : [])].flatMap((n) => {
    const file = join(dir, n, 'charon.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').map((l) => ({ n, l })) : [];
  });
  for (const [pattern, what] of patterns) {
    const hit = [...lines].reverse().find((x) => pattern.test(x.l));
    if (hit) return `${what} (charon in ${hit.n}: ${hit.l.replace(/^\S+ \d+\[\w+\] /, '').trim()})`;
  }
  return 'the SA is not up (no IKE error logged)';
}

interface FrrNeighbor {
  bgpState?: string;
  lastNotificationReason?: string;
  lastErrorCodeSubcode?: string;
  lastResetDueTo?: string;
  downLastResetCode?: string;
  addressFamilyInfo?: Record<string, { acceptedPrefixCounter?: number }>;
}

export function vtysh(plan: LabPlan, dir: string, node: string, command: string): unknown {
  const out = run('vtysh', ['--vty_socket', join(dir, node, 'frr'), '-c', command], { allowFail: true, timeoutMs: 10_000 }).stdout;
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

export function bgpState(plan: LabPlan, dir: string, node: string, peer: string, label: string): BgpState {
  const all = vtysh(plan, dir, node, 'show bgp neighbors json') as Record<string, FrrNeighbor> | undefined;
  const n = all?.[peer];
  if (!n) return { node, peer, label, up: false, state: 'unknown', prefixes: 0, reason: all ? `no session to ${peer}` : 'bgpd is not answering' };
  const up = n.bgpState === 'Established';
  const prefixes = Object.values(n.addressFamilyInfo ?? {}).reduce((sum, af) => sum + (af.acceptedPrefixCounter ?? 0), 0);
  const reason = up ? undefined : [lastNotification(dir, node, peer) ?? n.lastNotificationReason, n.lastResetDueTo].filter(Boolean).join('; ') || `the session is ${n.bgpState}`;
  return { node, peer, label, up, state: n.bgpState ?? 'unknown', prefixes, ...(reason ? { reason } : {}) };
}

/**
 * The last NOTIFICATION bgpd sent to or received from a peer, from its log: the refusal itself
 * (`OPEN Message Error/Bad Peer AS`), which vtysh forgets once a later attempt resets the session
 * for another reason (the refused peer, holding off, never sends its OPEN: "Waiting for peer OPEN").
 */
function lastNotification(dir: string, node: string, peer: string): string | undefined {
  const file = join(dir, node, 'frr', 'bgpd.log');
  if (!existsSync(file)) return undefined;
  const pattern = /%NOTIFICATION: (sent to|received from) neighbor (\S+) \d+\/\d+ \(([^)]*)\)/g;
  let last: string | undefined;
  for (const m of readFileSync(file, 'utf8').matchAll(pattern)) if (m[2] === peer) last = `${m[3]} (NOTIFICATION ${m[1] === 'sent to' ? 'sent' : 'received'})`;
  return last;
}

/** A node's IPv4 routing table as FRR holds it. */
export function frrRoutes(plan: LabPlan, dir: string, node: string): Record<string, { protocol: string; selected?: boolean; nexthops?: { ip?: string; active?: boolean; interfaceName?: string }[] }[]> {
  return (vtysh(plan, dir, node, 'show ip route json') as Record<string, never[]>) ?? {};
}

export function kernelRoute(plan: LabPlan, node: string, destination: string, from?: string, iif?: string): string {
  const args = ['route', 'get', destination, ...(from ? ['from', from] : []), ...(iif ? ['iif', iif] : [])];
  const r = inNs(nsName(plan.lab, node), 'ip', args, { allowFail: true });
  return (r.stdout || r.stderr).trim().split('\n')[0] ?? '';
}

/** Waits until what the routers hold stops changing (three looks 400 ms apart agree), at most `maxMs`. */
export async function waitForStableRoutes(plan: LabPlan, dir: string, maxMs: number): Promise<void> {
  const routers = plan.nodes.filter((n) => n.frr).map((n) => n.id);
  const look = () => JSON.stringify(routers.map((n) => Object.entries(frrRoutes(plan, dir, n)).map(([p, e]) => [p, e.filter((x) => x.selected).map((x) => x.nexthops?.map((h) => `${h.ip}${h.active === false ? '-' : ''}`))]).sort()));
  const deadline = Date.now() + maxMs;
  let last = look();
  let same = 0;
  while (Date.now() < deadline) {
    await sleep(400);
    const now = look();
    same = now === last ? same + 1 : 0;
    if (same >= 2) return;
    last = now;
  }
}
