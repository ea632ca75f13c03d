/**
 * @hybridnet/gen-rras: a PowerShell script (Windows PowerShell 5.1) and a README for every site
 * whose VPN device is Windows Server RRAS: static routing or BGP over one tunnel per Azure
 * gateway instance, keys read at run time, idempotent, ending in PASS/FAIL checks.
 */
import type { Generator } from '@hybridnet/model';
import { printRras } from './print.ts';
import { toRrasScripts } from './transform.ts';

export const rrasGenerator = {
  target: 'rras',
  description: 'RRAS PowerShell for every Windows Server site',
  generate(topology, index, context) {
    const { scripts, diagnostics } = toRrasScripts(topology, index, context);
    if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
    return { files: scripts.flatMap(printRras), diagnostics };
  },
} satisfies Generator;

export { toRrasScripts } from './transform.ts';
export { printRras } from './print.ts';
export { RRAS_CODES, type RrasCode } from './diagnostics.ts';
export type * from './ir.ts';
