import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic, parseTopology, type GenerateContext, type GenerateResult, type Topology, type TopologyIndex } from '@hybridnet/model';
import { simulateRoutes, siteRoutesTowardAzure, validateTopology } from '@hybridnet/validate';
import { rrasGenerator } from '@hybridnet/gen-rras';

export const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** What the command line hands generators: expectations from the route simulation. */
export function contextFor(topology: Topology, index: TopologyIndex): GenerateContext {
  return { expectedSiteRoutes: siteRoutesTowardAzure(simulateRoutes(topology, index)) };
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

export { compareGolden } from '../../../tools/test-support/golden.ts';
