import { describe, expect, it } from 'vitest';
import { excessiveNesting, MAX_FLOW_DEPTH, MAX_INDENT } from '../src/nesting.ts';

describe('excessiveNesting', () => {
  it('accepts ordinary documents', () => {
    expect(excessiveNesting('a: [1, {b: [2, 3]}]\nc:\n  - d: e\n')).toBeUndefined();
  });

  it('trips on the first bracket past the limit', () => {
    const text = `x: ${'['.repeat(MAX_FLOW_DEPTH + 10)}`;
    expect(excessiveNesting(text)?.offset).toBe(3 + MAX_FLOW_DEPTH);
  });

  it('ignores brackets in quoted text and comments', () => {
    const many = '['.repeat(MAX_FLOW_DEPTH * 2);
    expect(excessiveNesting(`a: "${many}"\nb: '${many} it''s'\n# ${many}\nc: 1 # ${many}\n`)).toBeUndefined();
  });

  it('does not treat an apostrophe inside a plain scalar as a quote', () => {
    expect(excessiveNesting(`a: don't\nb: ${'['.repeat(MAX_FLOW_DEPTH + 1)}`)).toBeDefined();
  });

  it('bounds indentation', () => {
    expect(excessiveNesting(`a:\n${' '.repeat(MAX_INDENT + 1)}b: 1\n`)?.reason).toMatch(/indented/);
  });
});
