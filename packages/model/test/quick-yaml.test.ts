import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseTopology } from '@hybridnet/model';
import { quickEligible, quickLoad } from '../src/quick-yaml.ts';

const root = new URL('../../../', import.meta.url);
const SEEDS = [
  ...readdirSync(new URL('examples/', root)).map((name) => readFileSync(new URL(`examples/${name}/topology.yaml`, root), 'utf8')),
  ...readdirSync(new URL('test/topologies/', root)).map((name) => readFileSync(new URL(`test/topologies/${name}`, root), 'utf8')),
];

/** The full reading, as the loader does it: YAML 1.2, no merge keys, duplicates refused. */
function full(text: string): { ok: true; data: unknown } | { ok: false } {
  const doc = parseDocument(text, { uniqueKeys: true, version: '1.2', merge: false });
  return doc.errors.length > 0 ? { ok: false } : { ok: true, data: doc.toJS() };
}

describe('the quick YAML reading', () => {
  it('reads every example and test topology, exactly as the full reading does', () => {
    expect(SEEDS.length).toBeGreaterThanOrEqual(4);
    for (const text of SEEDS) {
      expect(quickEligible(text)).toBe(true);
      expect(quickLoad(text)?.data).toStrictEqual(full(text).ok && (full(text) as { data: unknown }).data);
    }
  });

  it('gives plain scalars their YAML 1.2 core meaning, as the full reading does', () => {
    const scalars = ['yes', 'no', 'on', 'y', '0777', '0o17', '0x1F', '0b101', '1:30', '~', 'null', 'Null', 'NULL', '', 'true', 'True', 'TRUE', 'tRUE', '.inf', '-.Inf', '.NaN', '1e3', '1E-2', '1_000', '+1', '-0', '2026-12-01', '010', '.5', '5.', '10.0.0.0/16', '0.0.0.0', '65515', '12345678901234567890'];
    for (const scalar of scalars) {
      const text = `a: ${scalar}\nb: [${scalar || '~'}]\n`;
      const quick = quickLoad(text);
      expect(quick, scalar).toBeDefined();
      expect(quick!.data, scalar).toStrictEqual((full(text) as { data: unknown }).data);
    }
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {y: 2}\n'],
    ['a complex key', '? [a]\n: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a comment glued to a flow collection', 'a: [x]#c\n'],
    ['a flow collection over two lines', 'a: [x,\ny]\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a null key', 'a:\n  ~: 1\n'],
    ['an empty key in a flow sequence', 'a: [: x]\n'],
    ['a tab', 'a:\t1\n'],
    ['a syntax error', 'a: [x\n'],
  ])('declines %s (the full reading decides)', (_, text) => {
    expect(quickLoad(text)).toBeUndefined();
  });

  it('never reads a damaged topology differently: whatever it accepts, the full reading accepts with the same data', () => {
    const alphabet = [' ', '\n', '\n', ':', '-', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '.', '0', '1', '9', 'a', 'x', 'é', '\\', '%', '@', '`', '=', '<', '~', '\t', '\r', '\u00a0', '&', '*', '!', '?'];
    // Half the edits land right after a structural character, where the two parsers' leniencies differ.
    const edit = fc.record({ at: fc.noBias(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })), structural: fc.boolean(), op: fc.constantFrom('delete', 'insert', 'replace'), char: fc.constantFrom(...alphabet), glue: fc.constantFrom('\n', '\n  ', '#', ' #', '-', ':'), span: fc.integer({ min: 1, max: 3 }) });
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (seed, edits) => {
        let text = SEEDS[seed]!;
        for (const { at, structural, op, glue, span, ...rest } of edits) {
          const char = structural ? glue : rest.char;
          const marks = structural ? [...text.matchAll(/[[\]{}]/g)].map((m) => m.index + 1) : [];
          const p = marks.length > 0 ? marks[Math.floor(at * marks.length)]! : Math.floor(at * text.length);
          text = op === 'delete' ? text.slice(0, p) + text.slice(p + span) : op === 'insert' ? text.slice(0, p) + char + text.slice(p) : text.slice(0, p) + char + text.slice(p + 1);
        }
        const quick = quickLoad(text);
        if (!quick) return true;
        accepted++;
        const reference = full(text);
        return reference.ok && isDeepStrictEqual(quick.data, reference.data);
      }),
      { numRuns: 3000, seed: 17 },
    );
    // Most damaged copies are still in the subset (the rest is declined, which is always safe).
    expect(accepted).toBeGreaterThan(1000);
  });

  it('loads a clean topology without positions, and finds them when asked', () => {
    const text = SEEDS[0]!;
    const loaded = parseTopology(text, 'topology.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const name = loaded.topology!.azure.vnets[0]!.name;
    const line = text.split('\n').findIndex((l) => new RegExp(`name: ${name}$`).test(l)) + 1;
    expect(loaded.locate(['azure', 'vnets', 0, 'name'])).toEqual({ line, column: text.split('\n')[line - 1]!.indexOf(name) + 1 });
  });
});
