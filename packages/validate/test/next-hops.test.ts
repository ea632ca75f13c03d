/**
 * Next hops are typed values from the simulation on: the data plane decides by them and the
 * walk keeps them (verify azure asks Network Watcher about them); their text is for printing.
 */
import { describe, expect, it } from 'vitest';
import { evaluateIntents, nextHopText, simulateRoutes } from '@hybridnet/validate';
import { example, load } from './helpers.ts';

describe('next hops are typed from the simulation on', () => {
  it.each(['webapp-hybrid', 'webapp-regional', 'branch-to-branch'] as const)('%s: every route carries its typed next hop, and its text is that hop printed', (name) => {
    const t = load(example(name));
    const routes = simulateRoutes(t.topology, t.index).sets.flatMap((s) => s.routes);
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) expect(nextHopText(r.hop), `${r.prefix} ${r.nextHop}`).toBe(r.nextHop);
  });

  it('a UDR to the firewall names the firewall and its address; a subnet\'s gateway route its gateway; a tunnel its connection', () => {
    const t = load(example('webapp-hybrid'));
    const sim = simulateRoutes(t.topology, t.index);
    const route = (set: string, prefix: string) => sim.byName.get(set)!.routes.find((r) => r.prefix === prefix && r.active !== false)!.hop;
    expect(route('subnet:vnet-webapp/backend', '203.0.113.0/24')).toEqual({ kind: 'appliance', firewall: 'fw-webapp', address: '10.10.1.4' });
    expect(route('subnet:vnet-webapp/backend', '10.20.0.0/16')).toEqual({ kind: 'virtual-network-gateway', gateway: 'vgw-webapp' });
    expect(route('vpn-gateway:vgw-webapp', '10.20.0.0/16')).toEqual({ kind: 'tunnel', connection: 'webapp-to-aws' });
    // The walk keeps the typed hop of each route it takes (what verify azure asks Network Watcher about).
    const flow = evaluateIntents(t.topology, t.index).find((r) => r.intent.name === 'backend-to-partner-api')!.flows[0]!;
    expect(flow.request.hops[0]!.via).toEqual({ kind: 'appliance', firewall: 'fw-webapp', address: '10.10.1.4' });
  });
});
