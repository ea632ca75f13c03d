/**
 * Command-line benchmarks, each run of `hybridnet` a fresh process started the way a user starts
 * it (packages/cli/bin/hybridnet.js, which runs the bundle; rebuilt first so it is current):
 *
 *   node --import tsx tools/bench/pipeline.ts e2e [spokes] [sites]
 *     `hybridnet generate` of every target on the large synthetic topology (large-topology.ts),
 *     written to a temporary folder: wall time and the process's peak RSS, median of 5 runs.
 *   node --import tsx tools/bench/pipeline.ts e2e-dual-stack
 *     the same with every spoke dual-stack (IPv4 and IPv6 address space, /64 subnets).
 *   node --import tsx tools/bench/pipeline.ts cold-start
 *     `hybridnet validate examples/webapp-hybrid/topology.yaml`: wall time, median of 10 runs.
 *   node --import tsx tools/bench/pipeline.ts broad-intents
 *     `hybridnet validate` of each 1 MB file of broad intents (broad-intents.ts): the slowest
 *     shape's median of 3 runs (validate exits 1 there: the intents fail or are past the budget).
 *
 * Prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../build-cli.ts';
import { broadIntents, SHAPES } from './broad-intents.ts';
import { largeTopology } from './large-topology.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/hybridnet.js');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timed(argv: string[], env: NodeJS.ProcessEnv = process.env, exits = [0]): { ms: number; rssMiB: number } {
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-rss-'));
  const rssFile = join(dir, 'rss');
  const start = performance.now();
  // A preload writes the process's own peak RSS where this reads it, as the process exits.
  const child = spawnSync(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(`import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`), bin, ...argv], { encoding: 'utf8', env, cwd: root, maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (!exits.includes(child.status!)) throw new Error(`hybridnet ${argv.join(' ')} exited ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`);
  const rssMiB = Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024);
  rmSync(dir, { recursive: true, force: true });
  return { ms, rssMiB };
}

const [mode = 'e2e', spokesArg, sitesArg] = process.argv.slice(2);
await buildCli(); // measure the current sources, not a stale bundle (or the tsx fallback)
if (mode === 'cold-start') {
  const runs = Array.from({ length: 10 }, () => timed(['validate', 'examples/webapp-hybrid/topology.yaml']));
  console.log(JSON.stringify({ run: 'cold start: hybridnet validate examples/webapp-hybrid', ms: Math.round(median(runs.map((r) => r.ms))), peakRssMiB: Math.max(...runs.map((r) => r.rssMiB)) }));
} else if (mode === 'broad-intents') {
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-bench-'));
  try {
    const shapes = SHAPES.map((shape) => {
      const file = join(dir, `${shape}.yaml`);
      writeFileSync(file, broadIntents(shape));
      const runs = [0, 1, 2].map(() => timed(['validate', file], process.env, [1]));
      return { shape, ms: Math.round(median(runs.map((r) => r.ms))), peakRssMiB: Math.max(...runs.map((r) => r.rssMiB)) };
    });
    const slowest = shapes.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(JSON.stringify({ run: `validate 1 MB of broad intents (slowest of ${shapes.map((s) => `${s.shape} ${s.ms.toLocaleString('en')} ms`).join(', ')})`, ms: slowest.ms, peakRssMiB: Math.max(...shapes.map((s) => s.peakRssMiB)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const spokes = Number(spokesArg ?? 1000);
  const sites = Number(sitesArg ?? 500);
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-bench-'));
  try {
    const file = join(dir, 'large.yaml');
    const dualStack = mode === 'e2e-dual-stack';
    writeFileSync(file, largeTopology(spokes, sites, 5, { dualStack }));
    const env = { ...process.env, ...Object.fromEntries(Array.from({ length: sites }, (_, i) => [`PSK_${i}`, `bench-secret-${i}`])) };
    const runs = [0, 1, 2, 3, 4].map(() => timed(['generate', file, '--out', join(dir, 'out')], env));
    console.log(JSON.stringify({ run: `end to end: generate all targets, ${spokes} spokes${dualStack ? ' all dual-stack' : ''}, ${spokes * 5} subnets, ${sites} sites`, ms: Math.round(median(runs.map((r) => r.ms))), peakRssMiB: Math.max(...runs.map((r) => r.rssMiB)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
