/** The topologies that make this generator raise each of its codes; its tests and the command line's validate test share them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RRAS_CODES } from '@hybridnet/gen-rras';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
export const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');

export const DIAGNOSTIC_CASES: { code: keyof typeof RRAS_CODES; text: () => string }[] = [
  {
    code: 'hybridnet/gen-rras/apipa-peer',
    text: () =>
      example('branch-to-branch')
        .replace('peerIp: 10.60.0.4', 'peerIp: 169.254.21.5')
        .replace('          asn: 65515 # must stay 65515 for coexistence and Route Server', '          asn: 65515\n          instances: [{ apipa: [169.254.21.1] }, { apipa: [169.254.22.1] }]'),
  },
  {
    code: 'hybridnet/gen-rras/site-without-connection',
    text: () => example('branch-to-branch').replace('\nconnections:', '\n  - name: branch-spare\n    lan: [10.70.0.0/16]\n    device: { type: rras, publicIp: 203.0.113.70, privateIp: 10.70.0.4 }\n\nconnections:'),
  },
];
