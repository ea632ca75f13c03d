import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic, parseTopology, type GenerateResult } from '@hybridnet/model';
import { contextIntents, simulateRoutes, siteRoutesTowardAzure, validateTopology } from '@hybridnet/validate';
import { docsGenerator } from '@hybridnet/gen-docs';

export const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
export const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');

/** Generates the docs as the command line does: with the simulation and the validator's findings. */
export async function generateDocs(text: string): Promise<GenerateResult> {
  const loaded = parseTopology(text, 'topology.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const findings = validateTopology(loaded.topology, loaded.index);
  if (findings.some((d) => d.severity === 'error')) throw new Error(findings.map((d) => d.message).join('\n'));
  const simulation = simulateRoutes(loaded.topology, loaded.index);
  return docsGenerator.generate(loaded.topology, loaded.index, { expectedSiteRoutes: siteRoutesTowardAzure(simulation), routes: simulation.sets, findings, intents: contextIntents(loaded.topology, loaded.index) });
}

export const file = (r: GenerateResult, path: string) => r.files.find((f) => f.path === path)!.content;
