/**
 * The YAML form of a template, as js-yaml's `dump(template, { lineWidth: -1, noRefs: true })`
 * prints it, byte for byte, in a fraction of the time (a 500-site hub's 50 stacks took 0.39 s of
 * the large generate). js-yaml rather than the loader's `yaml`: four times faster, and it quotes
 * the format version, which would otherwise read as a date. js-yaml spends it deciding each scalar's style (plain, quoted, block) afresh,
 * although a stack repeats the same few thousand strings; here js-yaml still decides every
 * style, once per distinct string, and only the block layout it uses for plain data (mappings,
 * sequences, two-space indents, `- ` items, `{}`/`[]` when empty) is written out again.
 * Anything else (a key over 1,024 characters, a value that is not plain data) goes to js-yaml
 * whole. test/yaml.test.ts holds the two equal on every example's stacks
 * and on random data.
 */
import { dump } from 'js-yaml';

const OPTIONS = { lineWidth: -1, noRefs: true } as const;

/** A template js-yaml would print in a form this printer does not write. */
class NotPlain extends Error {}

export function toYaml(template: unknown): string {
  return plainYaml(template) ?? dump(template, OPTIONS);
}

/** The printing of plain data; undefined when js-yaml would print it in a form not written here. */
export function plainYaml(template: unknown): string | undefined {
  const strings = new Map<string, string>();
  const keys = new Map<string, string>();
  // js-yaml's own choice for a scalar value (strings remembered; a number is not: a Map takes -0
  // for 0, which js-yaml prints apart). A multi-line string is a block (`|`) whose lines js-yaml
  // indents by two spaces a level, from the first: printed alone, they have two.
  const scalar = (value: string | number | boolean | null, level: number): string => {
    let text = typeof value === 'string' ? strings.get(value) : undefined;
    if (text === undefined) {
      text = dump(value, OPTIONS).slice(0, -1);
      if (typeof value === 'string') strings.set(value, text);
    }
    return level > 1 && text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${'  '.repeat(level - 1)}`) : text;
  };
  // A key as js-yaml prints it before `: ` (it writes a long one as an explicit `? ` pair).
  const key = (name: string): string => {
    let text = keys.get(name);
    if (text === undefined) {
      const pair = dump({ [name]: null }, OPTIONS);
      if (!pair.endsWith(': null\n') || pair.startsWith('?')) throw new NotPlain();
      text = pair.slice(0, -': null\n'.length);
      keys.set(name, text);
    }
    return text;
  };
  const indent = (level: number) => `\n${'  '.repeat(level)}`;
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
  try {
    const text = node(template, 0, true);
    return text === undefined ? '' : `${text}\n`;
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}
