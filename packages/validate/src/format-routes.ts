/** The route simulation as a readable table, one block per gateway, Route Server, site and subnet. */
import type { Simulation } from './simulate.ts';

const TITLE = { 'vpn-gateway': 'VPN gateway', 'expressroute-gateway': 'ExpressRoute gateway', 'route-server': 'Route Server', site: 'site (routes toward Azure)', subnet: 'subnet (effective routes)', 'app-service': 'App Service app (where its outbound traffic goes)' } as const;

export function formatRoutes(simulation: Simulation): string {
  const blocks = simulation.sets.map((set) => {
    const header = `${TITLE[set.kind]} ${set.name}`;
    if (set.routes.length === 0) return `${header}\n  (no routes)\n`;
    const rows = set.routes.map((r) => [r.active === false ? ` ${r.prefix}` : `${set.kind === 'subnet' || set.kind === 'app-service' ? '*' : ' '}${r.prefix}`, r.nextHop, r.origin + (r.learnedFrom ? ` via ${r.learnedFrom}` : '')]);
    const widths = [0, 1].map((col) => Math.max(...rows.map((row) => row[col]!.length), col === 0 ? 7 : 8));
    const line = (cells: string[]) => `  ${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`.trimEnd();
    return [header, line([' prefix', 'next hop', 'origin']), ...rows.map(line)].join('\n') + '\n';
  });
  return `${blocks.join('\n')}${simulation.sets.some((s) => s.kind === 'subnet') ? '\n* = the route in use for that prefix\n' : ''}`;
}
