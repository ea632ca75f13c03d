/** The report puts what to fix first: with an error, the findings come before the diagram, errors before warnings. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology, type Diagnostic } from '@hybridnet/model';
import { report } from '@hybridnet/gen-docs';

const { topology } = parseTopology(readFileSync(new URL('../../../examples/webapp-regional/topology.yaml', import.meta.url), 'utf8'), 'topology.yaml');
const warning: Diagnostic = { code: 'hybridnet/validate/subnet/gateway-subnet-below-recommended', severity: 'warning', message: 'GatewaySubnet is /28', path: ['azure'], hint: 'use /27' };
const error: Diagnostic = { code: 'hybridnet/validate/address/subnet-overlap', severity: 'error', message: 'subnets a and b overlap', path: ['azure'], hint: 'make them disjoint' };

describe('report', () => {
  it('with an error: the findings first, before the diagram, errors before warnings, with how many', () => {
    const html = report(topology!, '<svg></svg>', [], [warning, error]);
    const at = (text: string) => html.indexOf(text);
    expect(at('<h2>Findings</h2>')).toBeGreaterThan(0);
    expect(at('<h2>Findings</h2>')).toBeLessThan(at('<h2>Diagram</h2>'));
    expect(html.split('<h2>Findings</h2>')).toHaveLength(2);
    expect(html).toContain('<p class="errors">1 error: this topology would not deploy or work as it is. Each comes with its fix.</p>');
    expect(at('subnets a and b overlap')).toBeLessThan(at('GatewaySubnet is /28'));
  });

  it('without an error: the findings in their place after the intents', () => {
    const html = report(topology!, '<svg></svg>', [], [warning]);
    expect(html.indexOf('<h2>Findings</h2>')).toBeGreaterThan(html.indexOf('<h2>Intents</h2>'));
    expect(html).not.toContain('class="errors"');
  });
});
