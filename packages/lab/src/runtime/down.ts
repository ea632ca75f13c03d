/**
 * `lab down`: ends what the lab's record says it started (each process only if it is still the one
 * recorded), deletes its namespaces (those recorded, and any left with the lab's prefix, which no
 * other lab shares), the folders FRR made for its pathspaces, and the lab's own folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { existingNamespaces, labRoot, readState, removeDir, run, startTime, stopProcesses, type ProcessRecord } from './system.ts';

/**
 * The processes the lab's own PID files name (charon's and the listeners', written by each process
 * as it starts, and FRR's), each only while it is still a process of this lab: its arguments or
 * environment name the lab's folder. They cover a process `up` started and died before recording.
 */
function pidFiles(dir: string): ProcessRecord[] {
  if (!existsSync(dir)) return [];
  const out: ProcessRecord[] = [];
  for (const node of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const files = ['charon.pid', 'listener.pid', 'frr/zebra.pid', 'frr/staticd.pid', 'frr/bgpd.pid'].map((f) => join(dir, node.name, f));
    for (const file of files) {
      const pid = Number(existsSync(file) ? readFileSync(file, 'utf8').trim() : NaN);
      if (!Number.isInteger(pid) || pid <= 1) continue;
      let text = '';
      try {
        text = `${readFileSync(`/proc/${pid}/cmdline`, 'utf8')}\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`;
      } catch {
        continue;
      }
      if (text.includes(dir)) out.push({ pid, start: startTime(pid) ?? '', node: node.name, what: file });
    }
  }
  return out;
}

export interface DownResult {
  readonly processes: number;
  readonly namespaces: number;
  /** Whether there was anything of this lab. */
  readonly found: boolean;
}

export async function labDown(lab: string, env: NodeJS.ProcessEnv = process.env): Promise<DownResult> {
  const dir = join(labRoot(env), lab);
  const state = readState(dir);
  await stopProcesses([...(state?.processes ?? []), ...pidFiles(dir)]);
  const namespaces = [...new Set([...(state?.namespaces ?? []), ...existingNamespaces(lab)])];
  const present = new Set(existingNamespaces(lab));
  for (const ns of namespaces) if (present.has(ns)) run('ip', ['netns', 'delete', ns], { allowFail: true });
  for (const leftover of state?.leftovers ?? []) if (leftover.startsWith(`/var/run/frr/${lab}-`)) removeDir(leftover);
  removeDir(dir);
  return { processes: state?.processes.length ?? 0, namespaces: present.size, found: Boolean(state) || present.size > 0 };
}
