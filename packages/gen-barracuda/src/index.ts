/**
 * @hybridnet/gen-barracuda: for every Barracuda CloudGen Firewall, REST API payloads for its
 * network objects and forwarding rules (in apply order), idempotent apply scripts (POSIX shell
 * with curl, and Windows PowerShell 5.1) and a Markdown sheet; for every site whose VPN device
 * is a CloudGen Firewall, the IKEv2 tunnel sheet an operator enters by hand.
 */
import type { Generator } from '@hybridnet/model';
import { printFirewall, printSiteTunnel } from './print.ts';
import { toFirewalls, toSiteTunnels } from './transform.ts';

export const barracudaGenerator = {
  target: 'barracuda',
  description: 'Barracuda CloudGen Firewall REST payloads, apply scripts and sheets',
  generate(topology, index, _context) {
    const { firewalls, diagnostics } = toFirewalls(topology, index);
    if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
    return { files: [...firewalls.flatMap(printFirewall), ...toSiteTunnels(topology, index).map(printSiteTunnel)], diagnostics };
  },
} satisfies Generator;

export { toFirewalls, toSiteTunnels } from './transform.ts';
export { CGF_CODES, type CgfCode } from './diagnostics.ts';
export type * from './ir.ts';
