/**
 * The lab's seam with the machine: running ip, nft, charon, swanctl, FRR and vtysh, in the lab's
 * own namespaces only (every command names one with `ip -n` or `ip netns exec`; the host's own
 * namespace, routes and firewall are never touched), and the record of what a lab started
 * (namespaces and processes, each process by its id and start time), so `lab down` ends exactly
 * those, even after a crash of `lab up`.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A problem the user can act on (a missing package, no privileges, a lab that is not up): exit 2, no stack. */
export class LabError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** Where labs keep their files: HYBRIDNET_LAB_DIR, else /var/lib/hybridnet/lab (not under /run: charon runs with a /run of its own). */
export function labRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.HYBRIDNET_LAB_DIR || '/var/lib/hybridnet/lab';
}

export const CHARON = '/usr/lib/ipsec/charon';
export const LIBIPSEC = '/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so';
export const FRR = '/usr/lib/frr';
export const PACKAGES = 'strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins frr nftables iproute2';

/** What the lab needs from the machine; every missing part, said once with the fix. */
export function prerequisites(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') return ['the lab runs on Linux (network namespaces)'];
  const status = readFileSync('/proc/self/status', 'utf8');
  const capabilities = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`);
  if ((capabilities & (1n << 12n)) === 0n) missing.push('root or CAP_NET_ADMIN (network namespaces, veth links, nftables)');
  const tools: [string, string][] = [['ip', 'iproute2'], ['nft', 'nftables'], ['swanctl', 'strongswan-swanctl'], ['vtysh', 'frr'], ['unshare', 'util-linux'], ['mount', 'mount']];
  for (const [tool, pkg] of tools) if (!onPath(tool)) missing.push(`${tool} (Debian package ${pkg})`);
  for (const [file, pkg] of [[CHARON, 'strongswan-charon'], [LIBIPSEC, 'libcharon-extra-plugins'], [join(FRR, 'zebra'), 'frr'], [join(FRR, 'bgpd'), 'frr'], [join(FRR, 'staticd'), 'frr']] as const) {
    if (!existsSync(file)) missing.push(`${file} (Debian package ${pkg})`);
  }
  if (spawnSync('id', ['-u', 'frr'], { encoding: 'utf8' }).status !== 0) missing.push("the frr user (Debian package frr creates it; FRR's daemons drop to it)");
  return missing;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; throws LabError with its output unless `allowFail`. */
export function run(command: string, args: readonly string[], options: { input?: string; allowFail?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const spawnOptions: SpawnSyncOptions = { encoding: 'utf8', input: options.input, timeout: options.timeoutMs ?? 30_000, env: options.env ?? process.env, maxBuffer: 1 << 26 };
  const r = spawnSync(command, args, spawnOptions);
  const result = { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  if (!options.allowFail && (r.error || r.status !== 0)) {
    throw new LabError(`${command} ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(r.error ?? '')).trim().split('\n').slice(-3).join(' / ')}`, 1);
  }
  return result;
}

/**
 * The same, without blocking: several namespaces' commands (probes) run at once. Never throws.
 * The time limit is checked only after pending output and exits are taken in: while the event
 * loop is held up (another lab's commands in the same process), a child that has already ended
 * must not be reported as timed out with its output dropped, as execFile's timeout does.
 */
export function runAsync(command: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        timedOut = true;
        child.kill('SIGKILL');
      });
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ status: 1, stdout: '', stderr: e.message });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ status: timedOut ? 124 : (code ?? 1), stdout: Buffer.concat(out).toString('utf8'), stderr: timedOut ? `${stderr}timed out after ${timeoutMs} ms\n` : stderr });
    });
  });
}

export const nsName = (lab: string, node: string) => `${lab}-${node}`;

/** Runs `ip` in a namespace with commands from standard input (one process for many commands). */
export function ipBatch(ns: string, commands: readonly string[], allowFail = false): RunResult {
  if (commands.length === 0) return { status: 0, stdout: '', stderr: '' };
  return run('ip', ['-n', ns, '-force', '-batch', '-'], { input: `${commands.join('\n')}\n`, allowFail });
}

export function inNs(ns: string, command: string, args: readonly string[], options: Parameters<typeof run>[2] = {}): RunResult {
  return run('ip', ['netns', 'exec', ns, command, ...args], options);
}

/**
 * Process start time in clock ticks since boot (/proc/<pid>/stat field 22): with the id, it names
 * one process. A zombie (ended, not yet reaped by its new parent) has none: it is gone.
 */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export interface ProcessRecord {
  readonly pid: number;
  readonly start: string;
  readonly node: string;
  readonly what: string;
}

export interface LabState {
  readonly lab: string;
  readonly topology: string;
  readonly file: string | null;
  readonly planHash: string;
  readonly namespaces: string[];
  readonly processes: ProcessRecord[];
  /** FRR pathspace folders outside the lab's own (made by the daemons for their -N name). */
  readonly leftovers: string[];
  complete: boolean;
  /** Flow runs so far (probe ports rotate so a port is not reused while its last connection lingers). */
  runs: number;
  /** Elements `lab fail` has taken down and `lab heal` has not brought back. */
  failed: string[];
}

export const stateFile = (dir: string) => join(dir, 'state.json');

export function readState(dir: string): LabState | undefined {
  try {
    const state = JSON.parse(readFileSync(stateFile(dir), 'utf8')) as LabState;
    return { ...state, runs: state.runs ?? 0, failed: state.failed ?? [], leftovers: state.leftovers ?? [], processes: state.processes ?? [], namespaces: state.namespaces ?? [] };
  } catch {
    return undefined;
  }
}

/** Written through a temporary file and a rename, so a crash never leaves half a record. */
export function writeState(dir: string, state: LabState): void {
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  const tmp = join(dir, `.state.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 1), { mode: 0o600 });
  renameSync(tmp, stateFile(dir));
}

/** Starts a long-running process detached, its output to `log`; returns its record. */
export function startDetached(node: string, what: string, command: string, args: readonly string[], log: string, env: NodeJS.ProcessEnv = process.env): ProcessRecord {
  const fd = openLog(log);
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
  child.unref();
  closeSync(fd);
  if (child.pid === undefined) throw new LabError(`could not start ${command}`, 1);
  // The start time is read once the process exists; a process that died at once has none.
  const start = startTime(child.pid) ?? '';
  return { pid: child.pid, start, node, what };
}

function openLog(path: string): number {
  return openSync(path, 'a', 0o600);
}

/** Whether a recorded process is still that process. */
export function alive(p: ProcessRecord): boolean {
  return p.start !== '' && startTime(p.pid) === p.start;
}

/** Ends recorded processes (TERM, then KILL after a grace period), each only if it is still the one recorded. */
export async function stopProcesses(processes: readonly ProcessRecord[], graceMs = 500): Promise<void> {
  const live = processes.filter(alive);
  for (const p of live) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (live.some(alive) && Date.now() < deadline) await sleep(50);
  for (const p of live.filter(alive)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lab's namespaces that exist now (by the lab's prefix, which no other lab shares). */
export function existingNamespaces(lab: string): string[] {
  const out = run('ip', ['netns', 'list'], { allowFail: true }).stdout;
  return out.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`${lab}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
