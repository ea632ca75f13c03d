/** The topologies that make this generator raise each of its codes; its tests and the command line's validate test share them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CGF_CODES } from '@hybridnet/gen-barracuda';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
export const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');

const LONG = `EXTERNAL-API-${'X'.repeat(55)}`; // 68 characters: the model accepts 80, the firewall 64

export const DIAGNOSTIC_CASES: { code: keyof typeof CGF_CODES; text: () => string }[] = [
  { code: 'hybridnet/gen-barracuda/name-too-long', text: () => example('webapp-hybrid').replace('- name: EXTERNAL-API\n', `- name: ${LONG}\n`).replaceAll('[EXTERNAL-API]', `[${LONG}]`) },
  { code: 'hybridnet/gen-barracuda/empty-group', text: () => example('webapp-hybrid').replace('        - name: EXTERNAL-API\n          prefixes: [203.0.113.0/24]', '        - name: EXTERNAL-API\n          prefixes: [203.0.113.0/24]\n        - name: NOTHING') },
];
