/** The topologies that make this generator raise each of its codes; its tests and the command line's validate test share them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BICEP_CODES } from '@hybridnet/gen-bicep';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
export const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');

export const DIAGNOSTIC_CASES: { code: keyof typeof BICEP_CODES; text: () => string }[] = [
  { code: 'hybridnet/gen-bicep/invalid-name', text: () => example('branch-to-branch').replaceAll('vnet-spoke-app', `vnet-spoke-app-${'x'.repeat(55)}`) },
];
