/**
 * The generation targets the command line and the Nx `generate` targets know. A generator
 * package plugs in here when it lands; until then its target still validates the topology and
 * writes an (empty) manifest, and says plainly that the generator is not built yet.
 */
import type { Generator } from '@hybridnet/model';
import { barracudaGenerator } from '@hybridnet/gen-barracuda';
import { bicepGenerator } from '@hybridnet/gen-bicep';
import { docsGenerator } from '@hybridnet/gen-docs';
import { cloudFormationGenerator } from '@hybridnet/gen-cloudformation';
import { rrasGenerator } from '@hybridnet/gen-rras';

export interface TargetEntry {
  readonly target: string;
  readonly description: string;
  readonly generator?: Generator;
}

export const TARGETS: readonly TargetEntry[] = [
  { target: 'bicep', description: bicepGenerator.description, generator: bicepGenerator },
  { target: 'rras', description: rrasGenerator.description, generator: rrasGenerator },
  { target: 'cloudformation', description: cloudFormationGenerator.description, generator: cloudFormationGenerator },
  { target: 'barracuda', description: barracudaGenerator.description, generator: barracudaGenerator },
  { target: 'docs', description: docsGenerator.description, generator: docsGenerator },
];

export function findTargets(targets: readonly TargetEntry[], names: readonly string[]): { found: TargetEntry[]; unknown: string[] } {
  const found: TargetEntry[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const entry = targets.find((t) => t.target === name);
    if (entry) {
      if (!found.includes(entry)) found.push(entry);
    } else unknown.push(name);
  }
  return { found, unknown };
}
