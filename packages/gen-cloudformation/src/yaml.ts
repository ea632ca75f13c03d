/**
 * The YAML form of a template exactly as js-yaml's `dump(template, { lineWidth: -1, noRefs: true })`
 * prints it (js-yaml rather than the loader's `yaml`: four times faster, and it quotes the format
 * version, which would otherwise read as a date), in about half the time: js-yaml decided every
 * scalar's style afresh (0.39 s for a 500-site hub's 50 stacks), although the stacks repeat the
 * same strings. Here js-yaml still decides each distinct string's style, once; a word of letters
 * and digits is known plain without asking; and only the block layout js-yaml uses for plain
 * data (mappings, sequences, two-space indents, `- ` items, `{}` and `[]` when empty) is
 * written out again. Anything else (a key over 1,024 characters, a value that is not plain
 * data) goes to js-yaml whole. test/yaml.test.ts holds the two byte-equal on every example's
 * stacks, a large estate's, and thousands of random documents.
 */
import { dump } from 'js-yaml';

const OPTIONS = { lineWidth: -1, noRefs: true } as const;

/**
 * Words js-yaml quotes although they are letters only: YAML 1.1's booleans (it keeps them quoted
 * for older readers) and the core schema's nulls and booleans. Any other word of ASCII letters
 * and digits, starting with a letter, it prints as it is (no number, date or indicator starts
 * with a letter): the logical IDs that make most of a stack's keys.
 */
const WORD = /^[A-Za-z][A-Za-z0-9]*$/;
const QUOTED_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);
const plainWord = (text: string) => WORD.test(text) && !QUOTED_WORDS.has(text);

/** A template js-yaml would print in a form this printer does not write. */
class NotPlain extends Error {}

export interface YamlPrinter {
  /** The template as js-yaml prints it. */
  print(template: unknown): string;
  /** The same, when it is plain data printed here; undefined when it goes to js-yaml. */
  plain(template: unknown): string | undefined;
}

/**
 * A printer for a set of templates, remembering each string's style across them (one site's
 * stack names the same Azure prefixes as the next).
 */
export function yamlPrinter(): YamlPrinter {
  const strings = new Map<string, string>();
  const keys = new Map<string, string>();
  // js-yaml's own choice for a scalar value (strings remembered; a number is not: a Map takes -0
  // for 0, which js-yaml prints apart). A multi-line string is a block (`|`) whose lines js-yaml
  // indents by two spaces a level, from the first: printed alone, they have two.
  const scalar = (value: string | number | boolean | null, level: number): string => {
    let text = typeof value === 'string' ? strings.get(value) : undefined;
    if (text === undefined) {
      text = typeof value === 'string' && plainWord(value) ? value : dump(value, OPTIONS).slice(0, -1);
      if (typeof value === 'string') strings.set(value, text);
    }
    return level > 1 && text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${'  '.repeat(level - 1)}`) : text;
  };
  // A key as js-yaml prints it before `: ` (it writes a long one as an explicit `? ` pair).
  const key = (name: string): string => {
    let text = keys.get(name);
    if (text === undefined) {
      if (plainWord(name) && name.length <= 1024) text = name;
      else {
        const pair = dump({ [name]: null }, OPTIONS);
        if (!pair.endsWith(': null\n') || pair.startsWith('?')) throw new NotPlain();
        text = pair.slice(0, -': null\n'.length);
      }
      keys.set(name, text);
    }
    return text;
  };
  const indents: string[] = [];
  const indent = (level: number) => (indents[level] ??= `\n${'  '.repeat(level)}`);
  // js-yaml's writeNode for block style: a mapping or sequence at `level`; `compact` leaves the
  // first line where the parent put it (after `- `, or at the very start).
  const node = (value: unknown, level: number, compact: boolean): string | undefined => {
    if (value === undefined) return undefined;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return scalar(value, level);
    const kind = Object.prototype.toString.call(value);
    if (kind === '[object Array]') {
      const items = value as unknown[];
      if (items.length === 0) return '[]';
      let out = '';
      for (const item of items) {
        const text = node(item, level + 1, true) ?? scalar(null, level + 1);
        if (!compact || out !== '') out += indent(level);
        out += text.charCodeAt(0) === 10 ? '-' : '- ';
        out += text;
      }
      return out;
    }
    if (kind !== '[object Object]') throw new NotPlain();
    let out = '';
    for (const name of Object.keys(value as object)) {
      const text = node((value as Record<string, unknown>)[name], level + 1, false);
      if (text === undefined) continue;
      if (!compact || out !== '') out += indent(level);
      out += key(name);
      out += text.charCodeAt(0) === 10 ? ':' : ': ';
      out += text;
    }
    return out === '' ? '{}' : out;
  };
  const plain = (template: unknown): string | undefined => {
    try {
      const text = node(template, 0, true);
      return text === undefined ? '' : `${text}\n`;
    } catch (error) {
      if (error instanceof NotPlain) return undefined;
      throw error;
    }
  };
  return { print: (template) => plain(template) ?? dump(template, OPTIONS), plain };
}
