/**
 * `npm run bench`: every benchmark, each run in a child process (so time and peak memory are that
 * process's own), printed as tables and written into BENCHMARKS.md between its markers
 * (`<!-- overlaps:start -->` … `<!-- overlaps:end -->`, likewise `intents` and `pipeline`).
 *
 * Benchmarks:
 * - overlaps: the address-plan engine as a whole process (start, read the plan, parse, find every
 *   overlapping pair) on three family mixes (IPv4 only, 50/50, 90 % IPv6) at 10k, 100k and 1M
 *   prefixes; beside it, the same job by a careful Python sort and sweep (tools/bench/overlaps.py,
 *   skipped with a note where python3 is missing), which must find the same number of pairs; and
 *   the pairwise method at 10k.
 * - pipeline: `hybridnet generate` of every target on the large synthetic topology, end to end,
 *   IPv4 and dual-stack, the command line's cold start, and `hybridnet validate` of 1 MB files
 *   of broad intents (tools/bench/pipeline.ts, broad-intents.ts), each against its target.
 * - intents: 1,000 intents answered on the large topology (tools/bench/intents.ts), written into
 *   BENCHMARKS.md between its `intents:start` and `intents:end` markers.
 * - failures: every single failure of the large topology with its 1,000 intents
 *   (tools/bench/failures.ts), target under 10 s.
 * - import: `hybridnet import azure` of the large topology's estate from the local Resource
 *   Manager (tools/bench/import.ts), target under 30 s.
 * - lab: `hybridnet lab up`, `test` and `down` of each example (tools/bench/lab.ts), target under
 *   60 s each; skipped with its reason without root or the lab's packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MIXES, writePlan, type Mix } from '../../packages/validate/bench/plan.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'hybridnet-bench-'));
const SIZES = [10_000, 100_000, 1_000_000];
const TARGET = { ms: 2000, rssMiB: 1024, ratio: 10 };

// The engine runs as a bundle, as the command line does: no TypeScript compiled at start-up.
const engine = join(scratch, 'overlaps.mjs');
await build({ entryPoints: [join(root, 'packages/validate/bench/overlaps.ts')], bundle: true, platform: 'node', format: 'esm', outfile: engine, logLevel: 'error', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });

function wall(command: string, args: string[], limitSeconds: number): { ms: number; out?: Record<string, number>; problem?: string } {
  const start = performance.now();
  const child = spawnSync(command, args, { encoding: 'utf8', timeout: limitSeconds * 1000, maxBuffer: 1 << 24 });
  const ms = performance.now() - start;
  if (child.error || child.status !== 0) return { ms, problem: child.signal === 'SIGTERM' ? `did not finish in ${limitSeconds} s` : `failed: ${(child.stderr || String(child.error)).trim().split('\n').pop()}` };
  return { ms, out: JSON.parse(child.stdout.trim().split('\n').pop()!) };
}

const python = spawnSync('python3', ['-c', 'import ipaddress'], { encoding: 'utf8' }).status === 0;
interface OverlapRow {
  mix: string;
  prefixes: number;
  ms: number;
  rssMiB: number;
  overlaps: number;
  perNLogN: number;
  pythonMs?: number;
  pythonOverlaps?: number;
  pairwiseMs?: number | string;
}
const overlapRows: OverlapRow[] = [];
for (const mix of Object.keys(MIXES) as Mix[]) {
  for (const n of SIZES) {
    const plan = join(scratch, `${mix}-${n}.txt`);
    writePlan(mix, n, plan);
    const ours = wall(process.execPath, [engine, plan, 'engine'], 120);
    if (!ours.out) throw new Error(`engine on ${mix} ${n}: ${ours.problem}`);
    const row: OverlapRow = { mix: MIXES[mix].label, prefixes: n, ms: Math.round(ours.ms), rssMiB: ours.out.peakRssMiB!, overlaps: ours.out.overlaps!, perNLogN: (ours.ms * 1000) / (n * Math.log2(n)) };
    if (python) {
      const theirs = wall('python3', [join(root, 'tools/bench/overlaps.py'), plan], 600);
      if (theirs.out) Object.assign(row, { pythonMs: Math.round(theirs.ms), pythonOverlaps: theirs.out.overlaps });
      else process.stderr.write(`python on ${mix} ${n}: ${theirs.problem}\n`);
    }
    if (n === 10_000) {
      const pairwise = wall(process.execPath, [engine, plan, 'pairwise'], 60);
      row.pairwiseMs = pairwise.out ? Math.round(pairwise.ms) : pairwise.problem!;
    }
    overlapRows.push(row);
    rmSync(plan);
    process.stderr.write(`overlaps ${mix} ${n}: done\n`);
  }
}

const fmt = (n: number) => n.toLocaleString('en');
const table = [
  '| mix | prefixes | engine (whole process) | peak RSS | overlaps | µs per n·log2(n) | Python sort and sweep | Python / engine | pairwise |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...overlapRows.map((r) => {
    const agree = r.pythonOverlaps === undefined || r.pythonOverlaps === r.overlaps ? '' : ` (found ${fmt(r.pythonOverlaps)}: MISMATCH)`;
    const py = r.pythonMs === undefined ? 'skipped: no python3' : `${fmt(r.pythonMs)} ms${agree}`;
    const ratio = r.pythonMs === undefined ? '—' : `${(r.pythonMs / r.ms).toFixed(1)}×`;
    const pairwise = r.pairwiseMs === undefined ? '—' : typeof r.pairwiseMs === 'number' ? `${fmt(r.pairwiseMs)} ms` : r.pairwiseMs;
    return `| ${r.mix} | ${fmt(r.prefixes)} | ${fmt(r.ms)} ms | ${r.rssMiB} MiB | ${fmt(r.overlaps)} | ${r.perNLogN.toFixed(3)} | ${py} | ${ratio} | ${pairwise} |`;
  }),
];
const big = overlapRows.filter((r) => r.prefixes === 1_000_000);
const verdict = [
  `Targets at 1M prefixes, every mix: under ${TARGET.ms / 1000} s, under 1 GiB, at least ${TARGET.ratio}× the Python sweep. ` +
    big.map((r) => `${r.mix}: ${fmt(r.ms)} ms, ${r.rssMiB} MiB${r.pythonMs ? `, ${(r.pythonMs / r.ms).toFixed(1)}×` : ''}`).join('; ') +
    `. ${big.every((r) => r.ms < TARGET.ms && r.rssMiB < TARGET.rssMiB && (r.pythonMs === undefined || r.pythonMs / r.ms >= TARGET.ratio)) ? 'Met.' : 'NOT met.'}`,
  `Machine: ${process.arch}, Node.js ${process.version}${python ? `, ${spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim()}` : ''}; measured ${new Date().toISOString().slice(0, 10)}.`,
];
const benchmarks = join(root, 'BENCHMARKS.md');
/** Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in BENCHMARKS.md, and prints it. */
function writeSection(name: string, lines: readonly string[]): void {
  const marks = new RegExp(`(<!-- ${name}:start -->\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  const current = readFileSync(benchmarks, 'utf8');
  if (marks.test(current)) writeFileSync(benchmarks, current.replace(marks, (_, start: string, end: string) => `${start}${lines.join('\n')}\n${end}`));
  console.log(lines.join('\n'));
}
writeSection('overlaps', [...table, '', ...verdict]);

const intents = wall(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/intents.ts'), '1000'], 300);
if (!intents.out) throw new Error(`intents: ${intents.problem}`);
const intentLines = [
  '| intents | flows walked | route simulation | data plane and every intent | target |',
  '|---:|---:|---:|---:|---|',
  `| ${fmt(intents.out.intents!)} (${fmt(intents.out.holds!)} hold) | ${fmt(intents.out.flows!)} | ${fmt(intents.out.simulationMs!)} ms | ${fmt(intents.out.intentsMs!)} ms | < 1,000 ms: ${intents.out.intentsMs! < 1000 ? 'met' : 'NOT met'} |`,
  '',
  `Median of five fresh runs in one process; measured ${new Date().toISOString().slice(0, 10)}.`,
];
writeSection('intents', intentLines);

const resilienceRun = wall(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/resilience.ts')], 300);
const res = resilienceRun.out as { intents?: number; failureSetsAnswered?: number; unanswered?: number; notResilient?: number; ms?: number } | undefined;
if (!res?.ms) throw new Error(`resilience: ${resilienceRun.problem}`);
writeSection('resilience', [
  '| intents with survives | failure sets answered | not answered (reported) | not resilient (reported) | validate | target |',
  '|---:|---:|---:|---:|---:|---|',
  `| ${fmt(res.intents!)} | ${fmt(res.failureSetsAnswered!)} | ${fmt(res.unanswered!)} | ${fmt(res.notResilient!)} | ${fmt(res.ms)} ms | < 30,000 ms: ${res.ms < 30_000 ? 'met' : 'NOT met'} |`,
  '',
  `One run of validateTopology; measured ${new Date().toISOString().slice(0, 10)}.`,
]);

const failuresRun = wall(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/failures.ts')], 300);
const fl = failuresRun.out as { elements?: number; intents?: number; answeredAgain?: number; broken?: number; baselineMs?: number; failuresMs?: number; checked?: string[] } | undefined;
if (!fl?.failuresMs) throw new Error(`failures: ${failuresRun.problem}`);
writeSection('failures', [
  '| single failures | intents | intents answered again | (failure, intent) pairs that break | intents as they are | every failure | target |',
  '|---:|---:|---:|---:|---:|---:|---|',
  `| ${fmt(fl.elements!)} | ${fmt(fl.intents!)} | ${fmt(fl.answeredAgain!)} | ${fmt(fl.broken!)} | ${fmt(fl.baselineMs!)} ms | ${fmt(fl.failuresMs)} ms | < 10,000 ms: ${fl.baselineMs! + fl.failuresMs < 10_000 ? 'met' : 'NOT met'} |`,
  '',
  `One run; checked against a full recomputation: ${fl.checked!.join(', ')}. Measured ${new Date().toISOString().slice(0, 10)}.`,
]);

// Importing a large estate from the local Resource Manager: median of three runs.
const importRuns = [0, 1, 2].map(() => wall(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/import.ts')], 300));
const imports = importRuns.map((r) => r.out as { vnets?: number; subnets?: number; peerings?: number; connections?: number; groups?: number; resources?: number; requests?: number; ms?: number } | undefined);
if (!imports.every((r) => r?.ms !== undefined)) throw new Error(`import: ${importRuns.find((r) => r.problem)?.problem}`);
const imp = [...imports].sort((a, b) => a!.ms! - b!.ms!)[1]!;
writeSection('import', [
  '| resource groups | VNets | subnets | peerings | connections | resources held | requests | import azure | target |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  `| ${imp.groups} | ${fmt(imp.vnets!)} | ${fmt(imp.subnets!)} | ${fmt(imp.peerings!)} | ${fmt(imp.connections!)} | ${fmt(imp.resources!)} | ${fmt(imp.requests!)} | ${fmt(imp.ms!)} ms | < 30,000 ms: ${imp.ms! < 30_000 ? 'met' : 'NOT met'} |`,
  '',
  `Median of three runs (${imports.map((r) => `${fmt(r!.ms!)} ms`).join(', ')}); the bundle as a process, the stand-in in the benchmark's process on the same cores. Measured ${new Date().toISOString().slice(0, 10)}.`,
]);
process.stderr.write('import: done\n');

// The command line end to end, each with its target (cold start; issue 17's end-to-end targets).
const pipelineLines = ['| run | time | peak RSS | target |', '|---|---:|---:|---|'];
for (const [mode, target] of [['cold-start', 400], ['e2e', 3000], ['e2e-dual-stack', 3500], ['broad-intents', 5000]] as const) {
  const run = wall(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/pipeline.ts'), mode], 300);
  const out = run.out as { run?: string; ms?: number; peakRssMiB?: number } | undefined;
  pipelineLines.push(out?.ms !== undefined ? `| ${out.run} | ${fmt(out.ms)} ms | ${out.peakRssMiB} MiB | < ${fmt(target)} ms: ${out.ms < target ? 'met' : 'NOT met'} |` : `| ${mode} | ${run.problem} | | < ${fmt(target)} ms |`);
  process.stderr.write(`pipeline ${mode}: done\n`);
}
pipelineLines.push('', `Cold start: median of 10 runs; end to end: median of 5; broad intents: median of 3 per shape. Measured ${new Date().toISOString().slice(0, 10)}.`);
writeSection('pipeline', pipelineLines);

const labRun = wall(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/lab.ts')], 600);
const labOut = labRun.out as unknown as { skipped?: string; rows?: { example: string; up: number; test: number; down: number; total: number; holds: boolean }[] } | undefined;
const labLines = labOut?.rows
  ? ['| example | lab up | lab test | lab down | all three | target |', '|---|---:|---:|---:|---:|---|', ...labOut.rows.map((r) => `| ${r.example} | ${fmt(r.up)} ms | ${fmt(r.test)} ms | ${fmt(r.down)} ms | ${fmt(r.total)} ms | < 60,000 ms: ${r.total < 60_000 && r.holds ? 'met' : 'NOT met'}${r.holds ? '' : ' (an intent failed)'} |`), '', `Each step a fresh \`hybridnet\` process (the bundle). Measured ${new Date().toISOString().slice(0, 10)}.`]
  : [`Skipped: ${labOut?.skipped ?? labRun.problem}.`];
writeSection('lab', labLines);
rmSync(scratch, { recursive: true, force: true });
