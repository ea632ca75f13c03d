import { describe, expect, it } from 'vitest';
import { parseTopology } from '@hybridnet/model';
import { report, topologyGraph, type Diagram } from '@hybridnet/gen-docs';
import { largeTopology } from '../../../tools/bench/large-topology.ts';
import { example, file, generateDocs } from './helpers.ts';

const graphOf = (text: string): Diagram => {
  const loaded = parseTopology(text, 'topology.yaml');
  return topologyGraph(loaded.topology!, loaded.index!);
};
const boxes = (d: Diagram): number => d.nodes.reduce((n, x) => n + 1 + x.children.length, 0);

describe('the diagram of a large estate', () => {
  it('folds subnets into their VNet and the spokes of a hub and the sites of a gateway into one box each', () => {
    const d = graphOf(largeTopology(120, 60, 2));
    expect(boxes(d)).toBeLessThan(30);
    const labels = d.nodes.map((n) => n.lines.join(' | '));
    expect(labels).toContain('60 × VNets | VNet vnet-spoke-0 … VNet vnet-spoke-118');
    expect(labels).toContain('30 × sites | site site-1 … site site-59');
    expect(labels.find((l) => l.startsWith('VNet vnet-hub-0'))).toMatch(/2 subnets$/);
    const hub0 = d.edges.filter((e) => e.source === 'vnet:vnet-hub-0' || e.target === 'vnet:vnet-hub-0');
    expect(hub0.map((e) => e.label)).toEqual(['60 × peering (gateway transit)']);
    // Every edge still joins two boxes that are drawn.
    const ids = new Set<string>();
    const collect = (nodes: typeof d.nodes): void => nodes.forEach((n) => (ids.add(n.id), collect(n.children)));
    collect(d.nodes);
    for (const e of d.edges) expect([ids.has(e.source), ids.has(e.target)]).toEqual([true, true]);
  });

  it('leaves a diagram that is readable box by box as it is', () => {
    const d = graphOf(example('branch-to-branch'));
    expect(d.nodes.some((n) => n.id.startsWith('group:'))).toBe(false);
    expect(d.nodes.flatMap((n) => n.children).some((c) => c.kind === 'subnet')).toBe(true);
  });

  it('groups lists by content, not by which array holds them, and never across kinds', () => {
    const route = (prefix: string, active = true) => ({ prefix, nextHop: 'VirtualNetworkGateway (vgw)', hop: { kind: 'virtual-network-gateway' }, origin: 'lng-static', source: 'conn', active });
    const shared = [route('10.0.0.0/16'), route('10.1.0.0/16'), route('10.9.0.0/16')];
    const copy = shared.map((r) => ({ ...r }));
    // Same length and the same first and last route as `shared`, another route between.
    const middle = [route('10.0.0.0/16'), route('10.2.0.0/16'), route('10.9.0.0/16')];
    const sets = [
      { kind: 'subnet' as const, name: 'a', routes: shared },
      { kind: 'subnet' as const, name: 'b', routes: shared },
      { kind: 'subnet' as const, name: 'c', routes: middle },
      { kind: 'subnet' as const, name: 'd', routes: copy },
      { kind: 'site' as const, name: 'e', routes: shared },
      { kind: 'subnet' as const, name: 'f', routes: middle.map((r) => ({ ...r })) },
      { kind: 'subnet' as const, name: 'g', routes: [route('10.0.0.0/16'), route('10.1.0.0/16', false), route('10.9.0.0/16')] },
    ];
    const html = report(parseTopology(example('branch-to-branch'), 't.yaml').topology!, '<svg/>', sets, []);
    expect(html.match(/<h3>[^<]*<\/h3><table class="routes">/g)).toEqual([
      '<h3>Subnets (3) a, b, d</h3><table class="routes">',
      '<h3>Subnets (2) c, f</h3><table class="routes">',
      '<h3>Site e</h3><table class="routes">',
      '<h3>Subnet g</h3><table class="routes">',
    ]);
  });

  it('tables each distinct set of routes once, headed by every place that learns it', async () => {
    const html = file(await generateDocs(largeTopology(20, 8, 2)), 'report.html');
    expect(html).toContain('<h3>Subnets (5) vnet-spoke-0/subnet-0, vnet-spoke-0/subnet-1, vnet-spoke-0/subnet-2, vnet-spoke-0/subnet-3, vnet-spoke-0/subnet-4</h3>');
    expect(html.match(/<h3>Subnets? [^<]*vnet-spoke-0\/subnet-0/g)).toHaveLength(1);
  });
});

describe('the verification plan of a topology without test endpoints', () => {
  it('has no endpoint script with no endpoints to check, and still the Azure checks', async () => {
    const result = await generateDocs(largeTopology(2, 2, 1));
    expect(result.files.map((f) => f.path).filter((p) => p.startsWith('verify'))).toEqual(['verify-azure.sh']);
    expect(file(result, 'VERIFY.md')).toContain('No two test endpoints with fixed addresses are expected to reach each other.');
  });
});
