import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compile, mdText, psString, shString } from '@hybridnet/render';

const hostile = ["it's", "'; rm -rf / #", '$(reboot)', '`id`', '${HOME}', 'a\nb', '"double"', '\\', ''];

describe('shString', () => {
  it.each(hostile)('%j comes back from the shell unchanged', (value) => {
    const result = spawnSync('sh', ['-c', `printf '%s' ${shString(value)}`], { encoding: 'utf8' });
    expect(result.stdout).toBe(value);
  });
});

describe('psString', () => {
  it('doubles straight and typographic single quotes', () => {
    expect(psString("it's ‘quoted’")).toBe("'it''s ‘‘quoted’’'");
  });
});

describe('mdText', () => {
  it('escapes what would format, link or break a table', () => {
    expect(mdText('a | b *c* [d](e) <f>')).toBe('a \\| b \\*c\\* \\[d\\](e) \\<f\\>');
  });
});

describe('compile', () => {
  it('throws on a missing field instead of printing nothing', () => {
    expect(() => compile<{ a?: string }>('{{a}}')({})).toThrow(/"a" not defined/);
  });
  it('does not HTML-escape', () => {
    expect(compile<{ a: string }>('{{a}}')({ a: '<&>' })).toBe('<&>');
  });
  it('refuses helpers it does not know', () => {
    expect(() => compile<object>('{{unknownHelper 1}}')({})).toThrow(/unknownHelper/);
  });
});
