/**
 * What the diagram draws beyond the network's own parts: the test endpoints where they live, the
 * AWS VPC of a site simulated there, and each intent's path through the boxes.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseTopology } from '@hybridnet/model';
import { contextIntents } from '@hybridnet/validate';
import { topologyGraph, type Diagram } from '@hybridnet/gen-docs';
import { measureText } from '../src/svg.ts';
import { example } from './helpers.ts';

function graph(name: string): Diagram {
  const { topology, index, diagnostics } = parseTopology(example(name), 'topology.yaml');
  if (!topology || !index) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return topologyGraph(topology, index, contextIntents(topology, index));
}

type Box = Diagram['nodes'][number];
const find = (nodes: readonly Box[], id: string): Box | undefined => nodes.map((n) => (n.id === id ? n : find(n.children, id))).find(Boolean);
const childIds = (n: Box | undefined) => n?.children.map((c) => c.id);

describe('the diagram of webapp-hybrid', () => {
  const d = graph('webapp-hybrid');

  it('draws each test endpoint inside its subnet, with its address', () => {
    expect(childIds(find(d.nodes, 'subnet:vnet-webapp/backend'))).toEqual(['ep:vm-backend']);
    expect(find(d.nodes, 'ep:vm-backend')!.lines).toEqual(['test vm-backend', '10.10.2.10']);
  });

  it('draws the AWS VPC of the simulated site, its subnet holding the RRAS instance and the test machine', () => {
    expect(childIds(find(d.nodes, 'site:onprem-aws'))).toEqual(['vpc:onprem-aws']);
    expect(find(d.nodes, 'vpc:onprem-aws')!.lines).toEqual(['AWS VPC 10.20.0.0/16', 'eu-west-1']);
    expect(find(d.nodes, 'vpc-subnet:onprem-aws')!.lines).toEqual(['subnet 10.20.1.0/24']);
    expect(childIds(find(d.nodes, 'vpc-subnet:onprem-aws'))).toEqual(['device:onprem-aws', 'ep:ec2-onprem-aws']);
  });

  it('gives each intent a path through the boxes its flow crosses, test endpoints at the ends', () => {
    const byIntent = Object.fromEntries(d.paths.map((p) => [p.intent, p]));
    expect(byIntent['app-to-partner-api']!.nodes).toEqual(['app:app-webapp-hybrid', 'vgw:vgw-webapp', 'fw:fw-webapp']);
    expect(byIntent['app-to-partner-api']!.label).toBe('app-to-partner-api: 172.16.201.4 → 203.0.113.4 (EXTERNAL-API) → Internet, holds');
    expect(byIntent['backend-to-sites']!.nodes).toEqual(['ep:vm-backend', 'subnet:vnet-webapp/backend', 'vgw:vgw-webapp', 'site:onprem-aws', 'ep:ec2-onprem-aws']);
  });
});

describe('the diagram of branch-to-branch', () => {
  it('routes the branch-to-branch intent through both gateways', () => {
    const path = graph('branch-to-branch').paths.find((p) => p.intent === 'branch-to-branch')!;
    expect(path.nodes).toEqual(['site:branch-er', 'ergw:ergw-hub', 'vgw:vgw-hub', 'site:branch-rras']);
  });
});

describe('text measured with the font named first (Liberation Sans, Arial\'s metrics)', () => {
  it('is as wide as Arial sets it, bold wider, and an unknown character as wide as M', () => {
    // Arial: H 722 + e 556 + l 222 + l 222 + o 556 = 2278 thousandths of an em, at 11 px.
    expect(measureText('Hello')).toBeCloseTo((2278 * 11) / 1000, 6);
    expect(measureText('Hello', 11, true)).toBeGreaterThan(measureText('Hello'));
    expect(measureText('☃')).toBe(measureText('M'));
  });
});
