import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic, parseTopology, type GenerateContext, type GenerateResult, type Topology, type TopologyIndex } from '@hybridnet/model';
import { simulateRoutes, validateTopology } from '@hybridnet/validate';
import { rrasGenerator } from '@hybridnet/gen-rras';

export const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** What the command line hands generators: expectations from the route simulation. */
export function contextFor(topology: Topology, index: TopologyIndex): GenerateContext {
  const expected = new Map<string, string[]>();
  for (const set of simulateRoutes(topology, index).sets) if (set.kind === 'site') expected.set(set.name, [...new Set(set.routes.map((r) => r.prefix))]);
  return { expectedSiteRoutes: expected };
}

/** Loads, validates (must be clean of errors) and generates. */
export function generateText(text: string): GenerateResult {
  const loaded = parseTopology(text, 'topology.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const errors = validateTopology(loaded.topology, loaded.index).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return rrasGenerator.generate(loaded.topology, loaded.index, contextFor(loaded.topology, loaded.index));
}

export function generateExample(name: string): GenerateResult {
  return generateText(readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8'));
}

/** Compares files with a golden folder byte for byte; RECORD=1 rewrites it. Returns the problems. */
export function compareGolden(folder: string, files: readonly { path: string; content: string }[]): string[] {
  if (process.env.RECORD === '1') {
    rmSync(folder, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(folder, f.path)), { recursive: true });
      writeFileSync(join(folder, f.path), f.content);
    }
  }
  const onDisk = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else onDisk.set(relative(folder, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(folder);
  const problems: string[] = [];
  for (const f of files) {
    const expected = onDisk.get(f.path);
    if (expected === undefined) problems.push(`missing golden ${f.path}`);
    else if (expected !== f.content) problems.push(`stale golden ${f.path}`);
    onDisk.delete(f.path);
  }
  for (const extra of onDisk.keys()) problems.push(`extra golden ${extra}`);
  return problems;
}
