/**
 * The steps shared by `hybridnet validate`, `hybridnet generate` and the Nx targets:
 * read the file, load and link it, validate it, then run the selected generators in memory.
 */
import { open } from 'node:fs/promises';
import { hasErrors, MAX_TOPOLOGY_BYTES, parseTopology, sortDiagnostics, type Diagnostic, type GenerateContext, type LoadResult, type Topology, type TopologyIndex } from '@hybridnet/model';
import { simulateRoutes, validateTopology } from '@hybridnet/validate';
import { loadGenerator, type TargetEntry } from './targets.ts';
import type { TargetOutput } from './writer.ts';

export class InputError extends Error {}

/** Reads at most one byte more than the loader accepts, so a huge file is refused, not slurped. */
export async function loadTopologyFile(file: string): Promise<LoadResult> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputError(`cannot read ${file}: not a file`);
    const size = Math.min(stat.size, MAX_TOPOLOGY_BYTES + 1);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return parseTopology(buffer.subarray(0, bytesRead).toString('utf8'), file);
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
}

export function checkTopology(loaded: LoadResult): Checked {
  if (!loaded.topology || !loaded.index) return { loaded, diagnostics: loaded.diagnostics };
  const found = validateTopology(loaded.topology, loaded.index);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...found.map((d) => ({ ...d, file: loaded.file, ...loaded.locate(d.path) }))]);
  return { loaded, diagnostics, ...(hasErrors(diagnostics) ? {} : { topology: loaded.topology }) };
}

export interface GenerateOutcome {
  readonly outputs: TargetOutput[];
  readonly diagnostics: Diagnostic[];
}

/** Runs each target's generator on a checked topology; positions their diagnostics. */
export async function runGenerators(checked: Checked, targets: readonly TargetEntry[]): Promise<GenerateOutcome> {
  const { loaded, topology } = checked;
  const index = loaded.index;
  if (!topology || !index) return { outputs: [], diagnostics: checked.diagnostics };
  const diagnostics: Diagnostic[] = [...checked.diagnostics];
  const outputs: TargetOutput[] = [];
  const context = generateContext(topology, index, checked.diagnostics);
  for (const entry of targets) {
    const generator = await loadGenerator(entry);
    if (!generator) {
      diagnostics.push({
        code: 'hybridnet/cli/generator-not-built',
        severity: 'info',
        message: `the ${entry.target} generator is not built yet; only the validated manifest is written for it`,
        path: [],
      });
      outputs.push({ target: entry.target, files: [] });
      continue;
    }
    const result = await generator.generate(topology, index, context);
    diagnostics.push(...result.diagnostics);
    outputs.push({ target: entry.target, files: result.files });
  }
  const positioned = diagnostics.map((d) => (d.file ? d : { ...d, file: loaded.file, ...loaded.locate(d.path) }));
  return { outputs, diagnostics: sortDiagnostics(positioned) };
}

/** What generators may print from the validator's simulation. */
export function generateContext(topology: Topology, index: TopologyIndex, findings: readonly Diagnostic[] = []): GenerateContext {
  const simulation = simulateRoutes(topology, index);
  const expectedSiteRoutes = new Map<string, string[]>();
  for (const set of simulation.sets) {
    if (set.kind === 'site') expectedSiteRoutes.set(set.name, [...new Set(set.routes.map((r) => r.prefix))]);
  }
  return { expectedSiteRoutes, routes: simulation.sets, findings: findings.filter((d) => d.code.startsWith('hybridnet/validate/')) };
}
