import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseTopology } from '@hybridnet/model';

const root = new URL('../../../examples/', import.meta.url);
const examples = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

describe('bundled examples', () => {
  it('includes both documented examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['webapp-hybrid', 'branch-to-branch']));
  });

  it.each(examples)('%s loads without a diagnostic', (name) => {
    const file = `examples/${name}/topology.yaml`;
    const result = parseTopology(readFileSync(new URL(`${name}/topology.yaml`, root), 'utf8'), file);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.topology?.name).toBe(name);
  });

  it('webapp-hybrid has what its README promises', () => {
    const t = parseTopology(readFileSync(new URL('webapp-hybrid/topology.yaml', root), 'utf8'), 'w.yaml').topology!;
    const hub = t.azure.vnets.find((v) => v.name === 'vnet-webapp')!;
    expect(hub.subnets.map((s) => s.name).sort()).toEqual(['GatewaySubnet', 'backend', 'frontend']);
    expect(hub.vpnGateway?.pointToSite?.addressPool).toEqual(['172.16.201.0/24']);
    expect(t.azure.appServices[0]?.integration.type).toBe('gateway-required');
    expect(t.sites.map((s) => s.hosting.type).sort()).toEqual(['aws', 'azure']);
    expect(t.azure.firewalls[0]?.vendor).toBe('barracuda-cloudgen');
    const rt = t.azure.routeTables[0]!;
    expect(hub.subnets.filter((s) => s.routeTable === rt.name).map((s) => s.name).sort()).toEqual(['GatewaySubnet', 'backend']);
  });

  it('branch-to-branch has what its README promises', () => {
    const t = parseTopology(readFileSync(new URL('branch-to-branch/topology.yaml', root), 'utf8'), 'b.yaml').topology!;
    const hub = t.azure.vnets.find((v) => v.name === 'vnet-hub')!;
    expect(hub.vpnGateway).toMatchObject({ activeActive: true, bgp: { asn: 65515 } });
    expect(hub.expressRouteGateway).toBeDefined();
    expect(hub.routeServer?.branchToBranch).toBe(true);
    const vpn = t.connections.find((c) => c.type === 'site-to-site')!;
    expect(vpn).toMatchObject({ bgp: true, tunnels: [{ instance: 0, weight: 200 }, { instance: 1, weight: 100 }] });
    const rras = t.sites.find((s) => s.name === 'branch-rras')!;
    expect(rras.bgp?.advertise).toEqual(rras.lan);
  });
});
