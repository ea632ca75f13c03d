/**
 * `hybridnet lab` as users run it (the bundle): a missing prerequisite, a missing key and an
 * unknown element are one line and exit 2; `up`, `test` and `down` with their exit codes and
 * output; Ctrl-C during `up`, and a crash of `up`, leave nothing behind once `down` has run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planLab } from '@hybridnet/lab';
import { BIN } from '../../../tools/test-support/bundle.ts';
import { canRun, env, labExampleText, labTopologyName, leftovers, load } from '../../../tools/test-support/lab.ts';
import { cli } from './helpers.ts';

// webapp-regional under a name of its own: the lab's own tests run the example beside these.
const dir = mkdtempSync(join(tmpdir(), 'hybridnet-cli-lab-'));
const REGIONAL = join(dir, 'topology.yaml');
writeFileSync(REGIONAL, labExampleText('webapp-regional', 'cli-regional'));
const LAB = planLab(load(readFileSync(REGIONAL, 'utf8')).topology, load(readFileSync(REGIONAL, 'utf8')).index).lab;
const B2B_FILE = join(dir, 'b2b.yaml');
writeFileSync(B2B_FILE, labExampleText('branch-to-branch', 'cli-b2b'));
const B2B = planLab(load(readFileSync(B2B_FILE, 'utf8')).topology, load(readFileSync(B2B_FILE, 'utf8')).index).lab;

describe('hybridnet lab: what it needs', () => {
  it('without its tools (nothing on PATH) it says what is missing in one line, exit 2', async () => {
    const r = await cli(['lab', 'up', REGIONAL], { env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hybridnet: the lab needs .*ip \(Debian package iproute2\).*swanctl \(Debian package strongswan-swanctl\)/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an element the topology does not have is named, with those it has, exit 2', async () => {
    const r = await cli(['lab', 'fail', REGIONAL, 'tunnel:nope/0'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`hybridnet: no element "tunnel:nope/0" in the lab of "${labTopologyName('cli-regional')}"; it has: tunnel:webapp-to-branch/0, connection:webapp-to-branch\n`);
  });
});

describe.runIf(canRun)('hybridnet lab, up to down', () => {
  it('a key the topology reads from the environment must be set, exit 2 naming it', async () => {
    const r = await cli(['lab', 'up', B2B_FILE], { env: { ...env, HUB_BRANCH_RRAS_PSK: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('set HUB_BRANCH_RRAS_PSK (the pre-shared key of hub-to-branch-rras)');
    expect(leftovers(B2B)).toEqual([]);
  });

  it("a namespace of the lab's name that this lab folder did not make: up refuses in one line, exit 2, and down removes it", async () => {
    const foreign = `${B2B}-inet`;
    spawnSync('ip', ['netns', 'add', foreign]);
    try {
      const r = await cli(['lab', 'up', B2B_FILE], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`hybridnet: 1 namespaces of lab ${B2B} (${foreign}, ...) exist, but ${env.HYBRIDNET_LAB_DIR} holds no lab of "${labTopologyName('cli-b2b')}": it is up from another lab folder (HYBRIDNET_LAB_DIR), or its folder was lost; hybridnet lab down with that folder (or this one) removes them\n`);
      expect((await cli(['lab', 'down', B2B_FILE], { env })).code).toBe(0);
      expect(leftovers(B2B)).toEqual([]);
    } finally {
      spawnSync('ip', ['netns', 'delete', foreign]);
    }
  });

  it('up, test and down of webapp-regional: every intent holds, as the simulation says; nothing is left', async () => {
    const lab = LAB;
    try {
      const up = await cli(['lab', 'up', REGIONAL], { env });
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(new RegExp(`^up in [\\d.]+ s: lab ${lab}, 12 namespaces`));
      expect(up.stdout).toContain('up   IKE  tunnel webapp-to-branch');
      const test = await cli(['lab', 'test', REGIONAL], { env });
      expect(test.code).toBe(0);
      expect(test.stdout).toMatch(/^branch-to-backend\s+vm-backend → ec2-branch:22 \(back\)\s+holds\s+holds$/m);
      expect(test.stdout).toContain('Every intent holds in the lab, as the simulation says.');
      const json = JSON.parse((await cli(['lab', 'test', REGIONAL, '--format', 'json'], { env })).stdout);
      expect(json).toMatchObject({ lab, holds: true, agree: true });
      const fail = await cli(['lab', 'fail', REGIONAL, 'connection:webapp-to-branch'], { env });
      expect(fail.code).toBe(0);
      const failed = await cli(['lab', 'test', REGIONAL], { env });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain('down (lab fail): connection:webapp-to-branch; the simulation answers without them');
      expect(failed.stdout).not.toContain('DIFFERS');
    } finally {
      const down = await cli(['lab', 'down', REGIONAL], { env });
      expect(down.stdout).toMatch(new RegExp(`^lab ${lab} \\(${labTopologyName('cli-regional')}\\) is down: \\d+ processes ended, 12 namespaces removed`));
    }
    expect(leftovers(lab)).toEqual([]);
    expect((await cli(['lab', 'test', REGIONAL], { env })).stderr).toContain('is not up: run hybridnet lab up first');
  });

  /** Starts `hybridnet lab up`, and once its record exists (namespaces being made) sends `signal`. */
  async function interrupted(signal: NodeJS.Signals): Promise<number> {
    const lab = LAB;
    const child = spawn(process.execPath, [BIN, 'lab', 'up', REGIONAL], { env: env as NodeJS.ProcessEnv, stdio: 'ignore' });
    const state = join(env.HYBRIDNET_LAB_DIR!, lab, 'state.json');
    const deadline = Date.now() + 20_000;
    while (!existsSync(state) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 150));
    child.kill(signal);
    return new Promise((resolve) => child.once('close', (code, sig) => resolve(code ?? (sig ? 128 : 1))));
  }

  it('Ctrl-C during up takes down what was made (exit 130)', async () => {
    expect(await interrupted('SIGINT')).toBe(130);
    expect(leftovers(LAB)).toEqual([]);
  });

  it('after a crash of up (killed), down ends what its record names', async () => {
    await interrupted('SIGKILL');
    expect((await cli(['lab', 'down', REGIONAL], { env })).code).toBe(0);
    expect(leftovers(LAB)).toEqual([]);
  });
});
