/**
 * What the lab's tests share: whether this machine can run a lab (else each test file skips with
 * one line, except under CI=true, where a missing prerequisite fails), a lab folder of the test's
 * own, keys in the environment, and the check that nothing of a lab is left.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseTopology, type Topology, type TopologyIndex } from '@hybridnet/model';
import { prerequisites } from '@hybridnet/lab';

export const missing = prerequisites();
export const canRun = missing.length === 0;
if (!canRun && process.env.CI !== 'true') console.warn(`skipped the lab's tests: the lab needs ${missing.join('; ')} (.ci/run installs them)`);

export const EXAMPLES = ['webapp-hybrid', 'branch-to-branch', 'webapp-regional'] as const;

const dir = mkdtempSync(join(tmpdir(), 'hybridnet-lab-'));
// FRR's daemons (the frr user) read their configuration below it.
chmodSync(dir, 0o711);
export const env: NodeJS.ProcessEnv = { ...process.env, HYBRIDNET_LAB_DIR: dir, HUB_BRANCH_RRAS_PSK: 'lab-test-key-1', PSK_0: 'lab-psk-0', PSK_1: 'lab-psk-1', PSK_2: 'lab-psk-2' };

export function load(text: string, file = 'topology.yaml'): { topology: Topology; index: TopologyIndex } {
  const { topology, index, diagnostics } = parseTopology(text, file);
  if (!topology || !index) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return { topology, index };
}

/**
 * A lab's name comes from its topology's name, and its namespaces are the machine's: each test run
 * names its topologies apart (`<name>-t<pid>`), so a lab a developer has up, or one a killed run
 * left behind, never meets the tests' own.
 */
export const labTopologyName = (name: string) => `${name}-t${process.pid.toString(36)}`;

/** An example's topology under the name the tests' lab of it takes (`as`, or its own name, made this run's). */
export const labExampleText = (name: string, as: string = name) => exampleText(name).replace(`name: ${name}\n`, `name: ${labTopologyName(as)}\n`);

export const exampleText = (name: string) => readFileSync(new URL(`../../examples/${name}/topology.yaml`, import.meta.url), 'utf8');

/** What of a lab is left on the machine: namespaces with its prefix, its folder, FRR's pathspace folders, processes started from its folder. */
export function leftovers(lab: string): string[] {
  const out: string[] = [];
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  out.push(...netns.split('\n').filter((l) => l.startsWith(`${lab}-`)).map((l) => `namespace ${l.split(' ')[0]}`));
  if (existsSync(join(dir, lab))) out.push(`folder ${join(dir, lab)}`);
  if (existsSync('/var/run/frr')) out.push(...readdirSync('/var/run/frr').filter((n) => n.startsWith(`${lab}-`)).map((n) => `/var/run/frr/${n}`));
  // A process of the lab names its folder or namespaces in its arguments (FRR, listeners) or its environment (charon).
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let text = '';
    try {
      text = `${readFileSync(`/proc/${pid}/cmdline`, 'utf8')}\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`;
    } catch {
      continue;
    }
    if (text.includes(join(dir, lab)) || text.includes(`${lab}-`)) out.push(`process ${pid} ${text.split('\0')[0]}`);
  }
  return out;
}
