/**
 * The lab, as a user runs it: `hybridnet lab up`, `lab test` and `lab down` of each example (the
 * bundle, a fresh process each), wall time of each step; target: the three under 60 s per example
 * on 2 cores. Needs root and the lab's Debian packages; prints `{"skipped": "<why>"}` otherwise.
 *
 *   node --import tsx tools/bench/lab.ts
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prerequisites } from '@hybridnet/lab';
import { buildCli } from '../build-cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const missing = prerequisites();
if (missing.length > 0) {
  console.log(JSON.stringify({ skipped: `the lab needs ${missing.join('; ')}` }));
  process.exit(0);
}
await buildCli();
const dir = mkdtempSync(join(tmpdir(), 'hybridnet-bench-lab-'));
chmodSync(dir, 0o711);
const env = { ...process.env, HYBRIDNET_LAB_DIR: dir, HUB_BRANCH_RRAS_PSK: 'bench-key' };
const step = (args: string[]) => {
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'packages/cli/bin/hybridnet.js'), ...args], { env, encoding: 'utf8', cwd: root });
  return { ms: Math.round(performance.now() - start), code: r.status ?? 1 };
};
const rows = ['webapp-hybrid', 'branch-to-branch', 'webapp-regional'].map((example) => {
  const file = `examples/${example}/topology.yaml`;
  const up = step(['lab', 'up', file]);
  const test = step(['lab', 'test', file]);
  const down = step(['lab', 'down', file]);
  return { example, up: up.ms, test: test.ms, down: down.ms, total: up.ms + test.ms + down.ms, holds: up.code === 0 && test.code === 0 && down.code === 0 };
});
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ rows }));
