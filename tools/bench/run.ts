/**
 * `npm run bench`: every benchmark, each run in a child process (so peak memory is that run's
 * own), printed as a table. A run that exceeds its time limit is reported as not finished.
 *
 * Benchmarks:
 * - overlaps: the address-plan engine on 10k, 100k and 1M prefixes, and the pairwise method
 *   side by side as far as it finishes within 30 s.
 * - pipeline: `hybridnet generate` of every target on the large synthetic topology, end to end,
 *   and the command line's cold start (tools/bench/pipeline.ts).
 */
import { spawnSync } from 'node:child_process';

interface Run {
  readonly bench: string;
  readonly args: string[];
  readonly limitSeconds: number;
}

const runs: Run[] = [];
for (const size of [10_000, 100_000, 1_000_000]) {
  runs.push({ bench: 'packages/validate/bench/overlaps.ts', args: [String(size), 'engine'], limitSeconds: 120 });
  runs.push({ bench: 'packages/validate/bench/overlaps.ts', args: [String(size), 'pairwise'], limitSeconds: size > 100_000 ? 0 : 30 });
}

runs.push({ bench: 'tools/bench/pipeline.ts', args: ['cold-start'], limitSeconds: 60 });
runs.push({ bench: 'tools/bench/pipeline.ts', args: ['e2e'], limitSeconds: 120 });

const rows: Record<string, unknown>[] = [];
for (const run of runs) {
  const label = `${run.bench.split('/').pop()} ${run.args.join(' ')}`;
  if (run.limitSeconds === 0) {
    rows.push({ run: label, result: 'skipped (quadratic: would take hours)' });
    continue;
  }
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', run.bench, ...run.args], { encoding: 'utf8', timeout: run.limitSeconds * 1000, maxBuffer: 1 << 24 });
  if (child.error || child.status !== 0) {
    rows.push({ run: label, result: child.signal === 'SIGTERM' ? `did not finish in ${run.limitSeconds} s` : `failed: ${child.stderr.trim().split('\n').pop()}` });
    continue;
  }
  rows.push({ run: label, ...JSON.parse(child.stdout.trim().split('\n').pop()!) });
  process.stderr.write(`${label}: done\n`);
}

const engine = rows.filter((r) => r.method === 'engine') as { prefixes: number; ms: number }[];
for (const r of engine) {
  const pairwise = rows.find((x) => x.method === 'pairwise' && x.prefixes === r.prefixes) as { ms: number } | undefined;
  Object.assign(r, {
    'µs per n·log2(n)': (((r.ms * 1000) / (r.prefixes * Math.log2(r.prefixes))) || 0).toFixed(3),
    ...(pairwise ? { 'pairwise / engine': `${(pairwise.ms / Math.max(r.ms, 1)).toFixed(0)}×` } : {}),
  });
}
console.table(rows);
