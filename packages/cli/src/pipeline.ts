/**
 * The steps shared by `hybridnet validate`, `hybridnet generate` and the Nx targets:
 * read the file, load and link it, validate it, then run the selected generators in memory.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { hasErrors, MAX_TOPOLOGY_BYTES, parseTopologyBytes, printable, sortDiagnostics, type Diagnostic, type GenerateContext, type GenerateResult, type LoadResult, type Topology, type TopologyIndex } from '@hybridnet/model';
import { contextIntents, simulateRoutes, siteRoutesTowardAzure, validateTopology } from '@hybridnet/validate';
import { InputError } from './errors.ts';
import { applyLevels, ruleLevels, type Levels } from './rules.ts';
import { loadGenerator, TARGETS, type TargetEntry } from './targets.ts';
import type { TargetOutput } from './writer.ts';

export { InputError };

/** How `-` (standard input) is read: injectable for tests. */
export type StdinReader = () => Promise<Buffer>;

/** The name a topology read from standard input goes by in messages. */
export const STDIN_NAME = '<stdin>';

const readProcessStdin: StdinReader = async () => {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total > MAX_TOPOLOGY_BYTES) break;
  }
  return Buffer.concat(chunks);
};

/**
 * Reads at most one byte more than the loader accepts, so a huge file is refused, not slurped.
 * `-` reads standard input (named `<stdin>` in messages).
 */
export async function loadTopologyFile(file: string, stdin: StdinReader = readProcessStdin): Promise<LoadResult> {
  if (file === '-') return parseTopologyBytes(await stdin(), STDIN_NAME);
  // Only a regular file: a FIFO with no writer would block the open, a device would never end.
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${printable(file)}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (!info.isFile()) throw new InputError(`cannot read ${printable(file)}: not a regular file (${info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe' : 'a device or socket'})`);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`cannot read ${printable(file)}: ${(error as Error).message}`);
  }
  try {
    // Read to the end rather than trusting the size: files under /proc report 0 bytes.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(1 << 20);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_TOPOLOGY_BYTES) break;
    }
    return parseTopologyBytes(Buffer.concat(chunks), file);
  } finally {
    await handle.close();
  }
}

/** A loaded topology checked by the validator too: every diagnostic, positioned and sorted. */
export interface Checked {
  readonly loaded: LoadResult;
  readonly diagnostics: Diagnostic[];
  /** Present when nothing is an error. */
  readonly topology?: Topology;
  /** Severity overrides in force (the topology's `rules:`, then --rule). */
  readonly levels?: Levels;
}

export function checkTopology(loaded: LoadResult): Checked {
  if (!loaded.topology || !loaded.index) return { loaded, diagnostics: loaded.diagnostics };
  const found = validateTopology(loaded.topology, loaded.index);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...found.map((d) => ({ ...d, file: loaded.file, ...loaded.locate(d.path) }))]);
  return { loaded, diagnostics, ...(hasErrors(diagnostics) ? {} : { topology: loaded.topology }) };
}

/**
 * checkTopology with the severity overrides applied: the topology's `rules:` and the command
 * line's (which win). A raised warning can make the topology fail; a wrong override is an error.
 */
export async function checkWithRules(loaded: LoadResult, command: Levels = new Map()): Promise<Checked> {
  const checked = checkTopology(loaded);
  const { levels, diagnostics } = await ruleLevels(loaded, command);
  if (levels.size === 0 && diagnostics.length === 0) return checked;
  const all = sortDiagnostics([...diagnostics, ...applyLevels(checked.diagnostics, levels)]);
  return { loaded, diagnostics: all, levels, ...(hasErrors(all) || !loaded.topology ? {} : { topology: loaded.topology }) };
}

export interface GenerateOutcome {
  readonly outputs: TargetOutput[];
  readonly diagnostics: Diagnostic[];
}

/** Every target's cheap check on a checked topology, positioned (generators themselves are not loaded). */
export async function targetChecks(checked: Checked, targets: readonly TargetEntry[]): Promise<Diagnostic[]> {
  const { topology, index } = checked.loaded;
  if (!checked.topology || !topology || !index) return [];
  const found: Diagnostic[] = [];
  for (const entry of targets) {
    if (!entry.check) continue;
    const check = await entry.check();
    for (const d of check(topology, index)) found.push({ ...d, file: checked.loaded.file, ...checked.loaded.locate(d.path) });
  }
  return applyLevels(found, checked.levels ?? new Map());
}

/**
 * Runs each target's generator on a checked topology; positions their diagnostics. `source` is
 * the topology file as the runbook should name it (relative to the output folder); `onOutput`
 * hears of each target as soon as it is generated (the command line starts writing it).
 */
export async function runGenerators(checked: Checked, targets: readonly TargetEntry[], source?: string, onOutput?: (output: TargetOutput) => void): Promise<GenerateOutcome> {
  const { loaded, topology } = checked;
  const index = loaded.index;
  if (!topology || !index) return { outputs: [], diagnostics: checked.diagnostics };
  const diagnostics: Diagnostic[] = [...checked.diagnostics];
  const outputs: TargetOutput[] = [];
  const position = (d: Diagnostic): Diagnostic => (d.file ? d : { ...d, file: loaded.file, ...loaded.locate(d.path) });
  const levels = checked.levels ?? new Map();
  // The report lists every target's findings, not only the selected ones'. Findings are worked
  // out when a generator reads them (the docs generator does): what the generators that have run
  // by then said, plus the cheap check of each that has not, so no transform runs twice. A check
  // is its generator's transform, so the findings are the same whenever they are read.
  const checks = new Map(await Promise.all(TARGETS.filter((t) => t.check).map(async (t) => [t.target, await t.check!()] as const)));
  const ran = new Set<string>();
  const base = generateContext(topology, index, [], source);
  // Every generator is loaded up front: a module read later queues behind the files being
  // written meanwhile (the same few I/O threads), and the main thread would wait idle for it.
  const generators = new Map(targets.map((entry) => [entry, loadGenerator(entry)]));
  for (const loading of generators.values()) loading.catch(() => {}); // met where it is awaited
  const run = async (entry: TargetEntry): Promise<GenerateResult> => {
    const generator = await generators.get(entry);
    if (!generator) {
      const message = `the ${entry.target} generator is not built yet; only the validated manifest is written for it`;
      return { files: [], diagnostics: [{ code: 'hybridnet/cli/generator-not-built', severity: 'info', message, path: [] }] };
    }
    const context: GenerateContext = {
      ...base,
      get findings() {
        const pending = [...checks].filter(([target]) => !ran.has(target) && target !== entry.target);
        return reportable(applyLevels([...diagnostics, ...pending.flatMap(([, check]) => check(topology, index))].map(position), levels));
      },
    };
    const result = await generator.generate(topology, index, context);
    ran.add(entry.target);
    return result;
  };
  // A generator that works in another thread meanwhile (docs lays its diagram out there) starts
  // first and is awaited last; the others run one after the other. Results keep target order.
  const early = new Map(targets.filter((t) => t.startsFirst).map((entry) => [entry, run(entry)]));
  for (const running of early.values()) running.catch(() => {}); // its failure is met where it is awaited
  const results = new Map<TargetEntry, GenerateResult>();
  for (const entry of [...targets.filter((t) => !early.has(t)), ...early.keys()]) {
    const result = await (early.get(entry) ?? run(entry));
    diagnostics.push(...result.diagnostics);
    results.set(entry, result);
    onOutput?.({ target: entry.target, files: result.files });
  }
  for (const entry of targets) outputs.push({ target: entry.target, files: results.get(entry)!.files });
  return { outputs, diagnostics: sortDiagnostics(applyLevels(diagnostics.map(position), levels)) };
}

/** The findings a report shows: the validator's and the generators' (not the loader's, which stop everything). */
const reportable = (findings: readonly Diagnostic[]): Diagnostic[] => findings.filter((d) => /^hybridnet\/(validate|gen-[a-z]+)\//.test(d.code));

/** What generators may print from the validator's simulation. */
export function generateContext(topology: Topology, index: TopologyIndex, findings: readonly Diagnostic[] = [], source?: string): GenerateContext {
  const simulation = simulateRoutes(topology, index);
  const expectedSiteRoutes = siteRoutesTowardAzure(simulation);
  const intents = contextIntents(topology, index);
  return { expectedSiteRoutes, routes: simulation.sets, findings: reportable(findings), intents, ...(source ? { source } : {}) };
}
