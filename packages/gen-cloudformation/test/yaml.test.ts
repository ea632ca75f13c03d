/**
 * The stacks' YAML printer writes exactly what js-yaml's dump writes, on every example's stacks,
 * on a large estate's, and on random data full of strings YAML reads as something else.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseTopology, type Topology, type TopologyIndex } from '@hybridnet/model';
import { toCfnStacks } from '@hybridnet/gen-cloudformation';
import { largeTopology } from '../../../tools/bench/large-topology.ts';
import { yamlPrinter } from '../src/yaml.ts';

const OPTIONS = { lineWidth: -1, noRefs: true } as const;
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

function templates(text: string, file: string): unknown[] {
  const { topology, index } = parseTopology(text, file) as { topology: Topology; index: TopologyIndex };
  return toCfnStacks(topology, index).stacks.map((s) => s.template);
}

describe('the stacks YAML printer', () => {
  it('prints every example stack and a large estate stack as js-yaml does, without handing any back to it', () => {
    const stacks = [
      ...readdirSync(EXAMPLES).flatMap((name) => templates(readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8'), name)),
      ...templates(largeTopology(40, 30, 2), 'large.yaml'),
      ...templates(largeTopology(40, 30, 2, { dualStack: true }), 'large-ds.yaml'),
    ];
    expect(stacks.length).toBeGreaterThanOrEqual(8);
    // One printer for them all, as the generator uses it: what it remembers from one stack serves the next.
    const printer = yamlPrinter();
    for (const template of stacks) expect(printer.plain(template)).toBe(dump(template, OPTIONS));
  });

  // Strings YAML would read as booleans, nulls, numbers, dates, references or comments, quotes,
  // indicators, non-ASCII and control characters, line breaks, and a key too long to be implicit.
  const words = ['y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'n', 'N', 'no', 'No', 'NO', 'nO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'oFF', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', 'Nan', 'inf', 'e', 'E', 'x1', 'Site0RouteTable', `L${'o'.repeat(1030)}ng`];
  const tricky = fc.constantFrom(...words, '~', '0777', '0o17', '0x1F', '1:30', '190:20:30', '2010-09-09', '2026-12-01T10:00:00Z', '.inf', '-.Inf', '.NaN', '-.5', '1e3', '+1', '1_000', '- x', '-', '? x', ':', 'a: b', 'a:b', '#c', 'a #b', 'a#b', ' lead', 'trail ', '', '"q"', "'s'", "it's", 'tab\there', 'line\nbreak', 'ends\n', '\n', 'é', '✓ ok', '\u2028', '\u0007', '\uFEFF', '*ref', '&a', '!tag', '%x', '@x', '`x', '|', '>', '{a}', '[a]', 'a, b', '?', 'Fn::GetAtt', 'AWS::EC2::Route', '10.0.0.0/16', 'fd00::/64', 'x'.repeat(1030), '<<');
  // Multi-line strings: js-yaml prints them as blocks, indented by their depth; empty lines, lines
  // of spaces, leading spaces (an indentation indicator) and trailing line breaks (chomping).
  const lines = fc.array(fc.constantFrom('a', ' b', '', '  ', 'c: d', '# e', '\t', "'f'"), { minLength: 2, maxLength: 6 }).map((l) => l.join('\n'));
  const text = fc.oneof(tricky, lines, fc.string(), fc.string({ unit: 'binary', maxLength: 12 }));
  const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(0, -0, 1.5, 1e21, -1e-7, Number.NaN, Number.POSITIVE_INFINITY), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object'), tie('object')),
    array: fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
    object: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  }));

  it('prints random data as js-yaml does, handing back only what it does not print itself', () => {
    let printed = 0;
    const printer = yamlPrinter();
    fc.assert(
      fc.property(value, (data) => {
        const own = printer.plain(data);
        if (own !== undefined) printed++;
        expect(printer.print(data)).toBe(dump(data, OPTIONS));
        if (own !== undefined) expect(own).toBe(dump(data, OPTIONS));
      }),
      { numRuns: 3000 },
    );
    expect(printed).toBeGreaterThan(1500);
  });

  it('hands back what is not plain data', () => {
    const printer = yamlPrinter();
    expect(printer.plain({ when: new Date(0) })).toBeUndefined();
    expect(printer.print({ when: new Date(0) })).toBe(dump({ when: new Date(0) }, OPTIONS));
  });
});
