/**
 * `lab down`: ends what the lab's record says it started (each process only if it is still the one
 * recorded), deletes its namespaces (those recorded, and any left with the lab's prefix, which no
 * other lab shares), the folders FRR made for its pathspaces, and the lab's own folder.
 */
import { join } from 'node:path';
import { existingNamespaces, labRoot, readState, removeDir, run, stopProcesses } from './system.ts';

export interface DownResult {
  readonly processes: number;
  readonly namespaces: number;
  /** Whether there was anything of this lab. */
  readonly found: boolean;
}

export async function labDown(lab: string, env: NodeJS.ProcessEnv = process.env): Promise<DownResult> {
  const dir = join(labRoot(env), lab);
  const state = readState(dir);
  if (state) await stopProcesses(state.processes);
  const namespaces = [...new Set([...(state?.namespaces ?? []), ...existingNamespaces(lab)])];
  const present = new Set(existingNamespaces(lab));
  for (const ns of namespaces) if (present.has(ns)) run('ip', ['netns', 'delete', ns], { allowFail: true });
  for (const leftover of state?.leftovers ?? []) if (leftover.startsWith(`/var/run/frr/${lab}-`)) removeDir(leftover);
  removeDir(dir);
  return { processes: state?.processes.length ?? 0, namespaces: present.size, found: Boolean(state) || present.size > 0 };
}
