/**
 * `lab up`: carries a plan out. The record of the lab (its namespaces, then each process as it
 * starts) is written before anything is made, so `lab down` can end a lab whose `up` crashed or
 * was interrupted. Running `up` again on a lab that is up and built from the same plan does
 * nothing; any other state is taken down first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNode, LabPlan } from '../ir.ts';
import { labDown } from './down.ts';
import { waitForConvergence, waitForStableRoutes, type Convergence } from './observe.ts';
import { LISTENER, PROBE, TRACE, UPDOWN } from './scripts.ts';
import { routeCommand, ruleCommand } from './commands.ts';
import { syncFabric } from './sdn.ts';
import { strongswanConf, swanctlConf } from './strongswan.ts';
import { alive, CHARON, existingNamespaces, FRR, inNs, ipBatch, LabError, labRoot, nsName, prerequisites, readState, run, startDetached, startTime, writeState, type LabState } from './system.ts';

export interface UpOptions {
  /** The topology file (recorded, shown by `lab status`). */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for tunnels and BGP sessions. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface UpResult {
  readonly already: boolean;
  readonly convergence: Convergence;
  readonly dir: string;
}

export function planHash(plan: LabPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex');
}

export async function labUp(plan: LabPlan, options: UpOptions = {}): Promise<UpResult> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const missing = prerequisites();
  if (missing.length > 0) throw new LabError(`the lab needs ${missing.join('; ')}`);
  if (plan.gaps.length > 0) throw new LabError(`the lab cannot bring this topology up: ${plan.gaps.map((g) => `${g.message}${g.path.length > 0 ? ` (at ${g.path.join('.')})` : ''}`).join('; ')}`);
  const secrets = resolveSecrets(plan, env);
  const dir = join(labRoot(env), plan.lab);
  const hash = planHash(plan);
  const previous = readState(dir);
  if (previous?.complete && previous.planHash === hash && previous.processes.every(alive)) {
    return { already: true, convergence: await waitForConvergence(plan, dir, options.timeoutMs ?? 30_000), dir };
  }
  if (previous) await labDown(plan.lab, env);
  const foreign = existingNamespaces(plan.lab);
  if (foreign.length > 0) {
    throw new LabError(
      `${foreign.length} namespaces of lab ${plan.lab} (${foreign[0]}, ...) exist, but ${labRoot(env)} holds no lab of "${plan.topology}": it is up from another lab folder (HYBRIDNET_LAB_DIR), or its folder was lost; hybridnet lab down with that folder (or this one) removes them`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  const state: LabState = { lab: plan.lab, topology: plan.topology, file: options.file ?? null, planHash: hash, namespaces: plan.nodes.map((n) => nsName(plan.lab, n.id)), processes: [], leftovers: plan.nodes.filter((n) => n.frr).map((n) => `/var/run/frr/${nsName(plan.lab, n.id)}`), complete: false, runs: 0, failed: [] };
  writeState(dir, state);
  writeFileSync(join(dir, 'updown.sh'), UPDOWN, { mode: 0o755 });
  writeFileSync(join(dir, 'listener.mjs'), LISTENER, { mode: 0o644 });
  writeFileSync(join(dir, 'probe.mjs'), PROBE, { mode: 0o644 });

  log(`namespaces: ${plan.nodes.length}`);
  for (const node of plan.nodes) run('ip', ['netns', 'add', nsName(plan.lab, node.id)]);
  for (const node of plan.nodes) prepare(plan, node);
  links(plan);
  for (const node of plan.nodes) addressesAndRoutes(plan, node, false);
  for (const node of plan.nodes) {
    const rules = [node.nft ?? '', node.forwarding ? TRACE : ''].join('\n');
    if (rules.trim()) inNs(nsName(plan.lab, node.id), 'nft', ['-f', '-'], { input: rules });
  }
  const frrUid = Number(run('id', ['-u', 'frr']).stdout.trim());
  const frrGid = Number(run('id', ['-g', 'frr']).stdout.trim());
  for (const node of plan.nodes) {
    const nodeDir = join(dir, node.id);
    mkdirSync(nodeDir, { recursive: true, mode: 0o755 });
    if (node.ike) startCharon(plan, node, nodeDir, dir, secrets, state, env);
    if (node.frr) startFrr(plan, node, nodeDir, state, frrUid, frrGid);
    if (node.listen.length > 0) {
      state.processes.push(startDetached(node.id, 'listener', 'ip', ['netns', 'exec', nsName(plan.lab, node.id), process.execPath, join(dir, 'listener.mjs'), join(nodeDir, 'listener.pid'), ...node.listen.map(String)], join(nodeDir, 'listener.log')));
    }
    writeState(dir, state);
  }
  for (const node of plan.nodes) if (node.ike) addressesAndRoutes(plan, node, true);
  log('waiting for tunnels and BGP sessions');
  const first = await waitForConvergence(plan, dir, options.timeoutMs ?? 30_000);
  await waitForStableRoutes(plan, dir, 8000);
  // Said again once routes settle (the prefix counts), as quickly as the sessions answer.
  const convergence = { ...(await waitForConvergence(plan, dir, 0)), ms: first.ms };
  syncFabric(plan, dir, []);
  state.complete = true;
  writeState(dir, state);
  return { already: false, convergence, dir };
}

/** Keys: from the environment variable the topology names, else made for the lab (the same at both ends, never shown). */
function resolveSecrets(plan: LabPlan, env: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  const unset: string[] = [];
  for (const s of plan.secrets) {
    if (s.env) {
      const value = env[s.env];
      if (!value) unset.push(`${s.env} (the pre-shared key of ${s.connection})`);
      else if (/["\\\n\r]/.test(value)) throw new LabError(`the pre-shared key in ${s.env} holds a quote, backslash or line break, which swanctl.conf cannot carry`);
      else out.set(s.id, value);
    } else out.set(s.id, randomBytes(24).toString('base64url'));
  }
  if (unset.length > 0) throw new LabError(`set ${unset.join(', ')}: the lab reads keys where the topology says, as deploy does`);
  return out;
}

function prepare(plan: LabPlan, node: LabNode): void {
  const ns = nsName(plan.lab, node.id);
  const sysctls = [
    `net.ipv4.ip_forward=${node.forwarding ? 1 : 0}`,
    'net.ipv4.conf.all.rp_filter=0',
    'net.ipv4.conf.default.rp_filter=0',
    'net.ipv4.conf.all.send_redirects=0',
    'net.ipv4.conf.default.send_redirects=0',
    'net.ipv4.conf.all.accept_redirects=0',
    'net.ipv4.conf.default.accept_redirects=0',
    'net.ipv4.conf.all.ignore_routes_with_linkdown=1',
    'net.ipv4.conf.default.ignore_routes_with_linkdown=1',
    'net.ipv6.conf.all.disable_ipv6=1',
    'net.ipv6.conf.default.disable_ipv6=1',
  ];
  inNs(ns, 'sysctl', ['-q', '-w', ...sysctls]);
  ipBatch(ns, ['link set lo up', ...node.loopback.map((a) => `address add ${a} dev lo`), ...node.bridges.flatMap((b) => [`link add ${b.name} type bridge`, `link set ${b.name} up`, ...b.addresses.map((a) => `address add ${a} dev ${b.name}`)])]);
}

/** veth pairs made inside the two namespaces (never in the host's); a tunnel end's inner side starts down and follows its SA. */
function links(plan: LabPlan): void {
  const inner = new Set(plan.nodes.flatMap((n) => (n.ike?.connections ?? []).flatMap((c) => (c.inner ? [`${n.id}/${c.inner.ifname}`] : []))));
  for (const l of plan.links) {
    const a = nsName(plan.lab, l.a.node);
    const b = nsName(plan.lab, l.b.node);
    run('ip', ['-n', a, 'link', 'add', l.a.ifname, 'type', 'veth', 'peer', 'name', l.b.ifname, 'netns', b]);
    for (const [ns, end] of [[a, l.a], [b, l.b]] as const) {
      const commands = [...end.addresses.map((x) => `address add ${x} dev ${end.ifname}`), ...(end.bridge ? [`link set ${end.ifname} master ${end.bridge}`] : [])];
      if (!inner.has(`${end.node}/${end.ifname}`)) commands.push(`link set ${end.ifname} up`);
      ipBatch(ns, commands);
    }
  }
}

/** Routes and rules; those through ipsec0 wait for charon to make it (`afterIke`). */
export function addressesAndRoutes(plan: LabPlan, node: LabNode, afterIke: boolean): void {
  const routes = node.routes.filter((r) => (r.dev === 'ipsec0') === afterIke);
  ipBatch(nsName(plan.lab, node.id), [...(afterIke ? [] : node.rules.map(ruleCommand)), ...routes.map(routeCommand)]);
}

function startCharon(plan: LabPlan, node: LabNode, nodeDir: string, dir: string, secrets: Map<string, string>, state: LabState, env: NodeJS.ProcessEnv): void {
  const ns = nsName(plan.lab, node.id);
  writeFileSync(join(nodeDir, 'strongswan.conf'), strongswanConf(nodeDir), { mode: 0o644 });
  writeFileSync(join(nodeDir, 'swanctl.conf'), swanctlConf(node.ike!, (id) => secrets.get(id)!, join(dir, 'updown.sh')), { mode: 0o600 });
  const childEnv = { ...env, STRONGSWAN_CONF: join(nodeDir, 'strongswan.conf') };
  // charon's PID file is fixed under /run: each charon gets a /run of its own (a private mount
  // namespace), and writes its process id into the node's folder first (a record even if up dies now).
  const p = startDetached(node.id, 'charon', 'ip', ['netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', `echo $$ > ${join(nodeDir, 'charon.pid')} && mount -t tmpfs tmpfs /run && mkdir -p /run/strongswan && exec ${CHARON}`], join(nodeDir, 'charon.out'), childEnv);
  state.processes.push(p);
  const vici = join(nodeDir, 'charon.vici');
  const deadline = Date.now() + 10_000;
  while (!existsSync(vici)) {
    if (Date.now() > deadline || startTime(p.pid) === undefined) throw new LabError(`charon did not start in ${node.label} (see ${join(nodeDir, 'charon.out')})`, 1);
    spinWait(20);
  }
  // The socket file exists from charon's bind; until it listens, swanctl's connection is refused
  // (seen on a loaded machine): try again until the same deadline.
  const load = ['--load-all', '--file', join(nodeDir, 'swanctl.conf'), '--uri', `unix://${vici}`];
  for (;;) {
    const r = run('swanctl', load, { env: childEnv, allowFail: true });
    if (r.status === 0) break;
    if (!`${r.stdout}${r.stderr}`.includes('connecting to') || Date.now() > deadline || startTime(p.pid) === undefined) {
      run('swanctl', load, { env: childEnv });
      break;
    }
    spinWait(50);
  }
  // charon's own policy-routing table would take every packet into the tunnel; the node's rules decide instead.
  ipBatch(ns, ['rule del pref 220'], true);
}

function startFrr(plan: LabPlan, node: LabNode, nodeDir: string, state: LabState, uid: number, gid: number): void {
  const ns = nsName(plan.lab, node.id);
  const runDir = join(nodeDir, 'frr');
  mkdirSync(runDir, { recursive: true, mode: 0o755 });
  chownSync(runDir, uid, gid);
  const conf = join(nodeDir, 'frr.conf');
  writeFileSync(conf, node.frr!, { mode: 0o644 });
  writeFileSync(join(runDir, 'vtysh.conf'), '', { mode: 0o644 });
  for (const daemon of ['zebra', 'staticd', 'bgpd']) {
    if (daemon === 'bgpd' && !/^router bgp /m.test(node.frr!)) continue;
    const pidFile = join(runDir, `${daemon}.pid`);
    run('ip', ['netns', 'exec', ns, join(FRR, daemon), '-d', '-N', ns, '-u', 'frr', '-g', 'frr', '--vty_socket', runDir, '-z', join(runDir, 'zserv.api'), '-f', conf, '-i', pidFile, '--log', `file:${join(runDir, `${daemon}.log`)}`]);
    const pid = Number(readPid(pidFile));
    state.processes.push({ pid, start: startTime(pid) ?? '', node: node.id, what: daemon });
    if (daemon === 'zebra') waitFor(join(runDir, 'zserv.api'), `zebra in ${node.label}`);
  }
}

function readPid(file: string): string {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new LabError(`no PID file ${file}`, 1);
    spinWait(20);
  }
}

function waitFor(path: string, what: string): void {
  const deadline = Date.now() + 5000;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new LabError(`${what} did not start`, 1);
    spinWait(20);
  }
}

/** A short synchronous wait (between a daemon's start and its socket). */
function spinWait(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
