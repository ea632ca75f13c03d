/** The route simulation as a readable table, one block per gateway, Route Server, site and subnet; and what changes between two. */
import type { RouteChange } from './failures.ts';
import type { RouteSet, Simulation } from './simulate.ts';

const NODE: Record<RouteSet['kind'], string> = { 'vpn-gateway': 'VPN gateway', 'expressroute-gateway': 'ExpressRoute gateway', 'route-server': 'Route Server', site: 'site', subnet: 'subnet', 'app-service': 'App Service app' };
/** What a full table of each node holds, said in its heading. */
const HOLDS: Partial<Record<RouteSet['kind'], string>> = { site: ' (routes toward Azure)', subnet: ' (effective routes)', 'app-service': ' (where its outbound traffic goes)' };

export function formatRoutes(simulation: Simulation): string {
  const blocks = simulation.sets.map((set) => {
    const header = `${NODE[set.kind]}${HOLDS[set.kind] ?? ''} ${set.name}`;
    if (set.routes.length === 0) return `${header}\n  (no routes)\n`;
    const rows = set.routes.map((r) => [r.active === false ? ` ${r.prefix}` : `${set.kind === 'subnet' || set.kind === 'app-service' ? '*' : ' '}${r.prefix}`, r.nextHop, r.origin + (r.learnedFrom ? ` via ${r.learnedFrom}` : '')]);
    const widths = [0, 1].map((col) => Math.max(...rows.map((row) => row[col]!.length), col === 0 ? 7 : 8));
    const line = (cells: string[]) => `  ${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`.trimEnd();
    return [header, line([' prefix', 'next hop', 'origin']), ...rows.map(line)].join('\n') + '\n';
  });
  return `${blocks.join('\n')}${simulation.sets.some((s) => s.kind === 'subnet') ? '\n* = the route in use for that prefix\n' : ''}`;
}

/** Route changes (routeChanges) as lines, grouped by node: lost, gained, or next hops moved. */
export function formatRouteChanges(changes: readonly RouteChange[]): string[] {
  const lines = [`routes that change (${changes.length}):`];
  let node = '';
  for (const c of changes) {
    const title = `${NODE[c.kind]} ${c.node}`;
    if (title !== node) lines.push(`  ${(node = title)}`);
    const hops = (list: readonly string[]) => list.join(' | ');
    lines.push(`    ${c.change.padEnd(6)}  ${c.prefix.padEnd(18)}  ${c.change === 'lost' ? `was ${hops(c.before)}` : c.change === 'gained' ? hops(c.after) : `${hops(c.before)} → ${hops(c.after)}`}`);
  }
  return lines;
}
