/**
 * The quick reading of a topology: js-yaml, about ten times faster than the `yaml` Document API
 * (33–65 ms against 435–725 ms for the 740 KB large benchmark topology), but it keeps no
 * positions. The loader reads with it first; positions (the `yaml` Document) are worked out only
 * when a diagnostic needs one, and a file the quick reading declines goes the full way at once.
 *
 * It must never read a file differently from the full reading. So it takes only the plain subset
 * the two parsers are known to agree on, and declines the rest (returns undefined):
 * - no anchors, aliases, tags, complex keys or merge keys (`&`, `*`, `!`, `?`, `<<`), no directive
 *   or document marker, no tab, CR or Unicode line or space character that YAML treats specially;
 * - no empty or null key (`: x`, `~: x`): the full reading names it "", js-yaml "null";
 * - every `#` starts a line or follows white space (js-yaml also takes `]#x` as a comment);
 * - every flow collection (`[...]`, `{...}`) closes on the line it opens (js-yaml also takes a
 *   continuation line indented less than the block it sits in);
 * - anything js-yaml refuses (a syntax error, a duplicate key).
 * Plain scalars resolve through the `yaml` library's own YAML 1.2 core-schema tags, so `yes`,
 * `0777`, `1:30` and `~` mean here exactly what they mean there.
 * packages/model/test/quick-yaml.test.ts holds the two readings equal over every example and
 * 3,000 randomly damaged copies of them in every run (80,000 were run once).
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { isScalar, Schema, type ScalarTag } from 'yaml';

const CORE = new Schema({ schema: 'core', merge: false });

const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: CORE.tags
    .filter((tag): tag is ScalarTag & { test: RegExp } => 'test' in tag && tag.test instanceof RegExp)
    .map(
      (tag, i) =>
        new Type(`${tag.tag}#${i}`, {
          kind: 'scalar',
          resolve: (text: string) => tag.test.test(text),
          construct: (text: string) => {
            const value = tag.resolve(text, () => {}, {} as never);
            return isScalar(value) ? value.value : value;
          },
        }),
    ),
});

const SPECIAL = /[&*!?\t\r\u0085\u00a0\u2028\u2029\ufeff]|<<|^%|^(?:---|\.\.\.)/m;
/** An empty or null key (`: x`, `~: x`, `[: x]`): the full reading makes it "", js-yaml "null". */
const NULL_KEY = /(?:^|[\s[{,])(?:~|null|Null|NULL)?:(?=[\s,\]}]|$)/m;

/** True when the text is in the subset both parsers read alike. */
export function quickEligible(text: string): boolean {
  if (SPECIAL.test(text) || NULL_KEY.test(text)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (depth !== 0) return false;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x23 && i > 0 && text.charCodeAt(i - 1) !== 0x20 && text.charCodeAt(i - 1) !== 0x0a) return false;
  }
  return depth === 0;
}

/** The document's data, or undefined when the quick reading cannot vouch for it. */
export function quickLoad(text: string): { readonly data: unknown } | undefined {
  if (!quickEligible(text)) return undefined;
  try {
    return { data: load(text, { schema: SCHEMA }) };
  } catch {
    return undefined;
  }
}
