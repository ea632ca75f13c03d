/**
 * The generation targets the command line and the Nx `generate` targets know. Each generator is
 * loaded when a command needs it, so `hybridnet validate` starts without loading any of them.
 */
import type { Diagnostic, Generator, Topology, TopologyIndex } from '@hybridnet/model';

/** A generator's cheap check: what it would refuse, without loading its printers. */
export type Check = (topology: Topology, index: TopologyIndex) => Diagnostic[];

export interface TargetEntry {
  readonly target: string;
  readonly description: string;
  /** The generator itself, or how to load it. */
  readonly generator?: Generator | (() => Promise<Generator>);
  /** How to load its check (for `validate`), when it has one. */
  readonly check?: () => Promise<Check>;
  /** Works in another thread for a while: started before the others, awaited after them. */
  readonly startsFirst?: boolean;
  /** Starts that thread's own loading early, while the topology is read and validated. */
  readonly prepare?: () => Promise<void>;
}

export const TARGETS: readonly TargetEntry[] = [
  { target: 'bicep', description: 'Azure Bicep, .bicepparam and ARM JSON for the Azure network', generator: async () => (await import('@hybridnet/gen-bicep')).bicepGenerator, check: async () => (await import('@hybridnet/gen-bicep/check')).check },
  { target: 'rras', description: 'RRAS PowerShell for every Windows Server site', generator: async () => (await import('@hybridnet/gen-rras')).rrasGenerator, check: async () => (await import('@hybridnet/gen-rras/check')).check },
  { target: 'cloudformation', description: 'AWS CloudFormation for sites simulated in AWS', generator: async () => (await import('@hybridnet/gen-cloudformation')).cloudFormationGenerator, check: async () => (await import('@hybridnet/gen-cloudformation/check')).check },
  { target: 'barracuda', description: 'Barracuda CloudGen Firewall REST payloads, apply scripts and sheets', generator: async () => (await import('@hybridnet/gen-barracuda')).barracudaGenerator, check: async () => (await import('@hybridnet/gen-barracuda/check')).check },
  { target: 'docs', description: 'Diagram (SVG, Mermaid), HTML report, deployment runbook and verification plan', generator: async () => (await import('@hybridnet/gen-docs')).docsGenerator, startsFirst: true, prepare: async () => (await import('@hybridnet/gen-docs')).warmLayout() },
];

export async function loadGenerator(entry: TargetEntry): Promise<Generator | undefined> {
  return typeof entry.generator === 'function' ? entry.generator() : entry.generator;
}

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
