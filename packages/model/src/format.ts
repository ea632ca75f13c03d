/**
 * `hybridnet fmt`: a topology in canonical order and style, comments kept. Keys of every mapping
 * follow the order the schema declares them for that kind of object (name first, then the
 * fields as documented); lists keep their order, since order means something there (rules,
 * routes). Indentation is two spaces and long text folds at 100 columns. Formatting twice changes
 * nothing.
 *
 * The topology means the same, and that is proved rather than assumed: YAML binds an alias to the
 * nearest anchor of its name before it, so moving a section can rebind a reused anchor name (a
 * test VM's password becoming a pre-shared key) or put an alias before its anchor. The formatted
 * text is read again and its value, aliases resolved, compared with the original's; when they
 * differ, nothing is formatted and the first alias concerned is named.
 *
 * Linear in the file: no duplicate-key check (the loader's, with a set per mapping, runs first),
 * and each mapping's order comes from a key → kinds-of-object table.
 *
 *   hybridnet: 1
 *   name: small          →   hybridnet: 1
 *   azure:                   name: small
 *     vnets: [...]           azure:
 *     location: westeurope     location: westeurope
 *                              vnets: [...]
 */
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isScalar, parseDocument, visit, type Document } from 'yaml';
import { schemaObjects } from './json-schema.ts';

export type FormatResult =
  | { readonly ok: true; readonly text: string }
  /** `syntax`: not well-formed YAML (the loader says where); `not-topology`: no `hybridnet:` at the top; `changes-meaning`: reordering would change a value. */
  | { readonly ok: false; readonly reason: 'syntax' | 'not-topology' | 'changes-meaning'; readonly message: string; readonly offset: number };

/** For each key, the kinds of object (schema objects, by position) that declare it, and where. */
let declared: Map<string, { readonly object: number; readonly rank: number }[]> | undefined;
function declarations(): Map<string, { readonly object: number; readonly rank: number }[]> {
  if (declared) return declared;
  declared = new Map();
  schemaObjects().forEach((keys, object) => keys.forEach((key, rank) => {
    const list = declared!.get(key) ?? [];
    list.push({ object, rank });
    declared!.set(key, list);
  }));
  return declared;
}

/** Each key's rank in the declared order of the kind of object that holds most of them (the first on a tie). */
function ranksFor(keys: readonly string[]): Map<string, number> {
  const table = declarations();
  const hits = new Map<number, number>();
  for (const key of keys) for (const { object } of table.get(key) ?? []) hits.set(object, (hits.get(object) ?? 0) + 1);
  let best = -1;
  let bestHits = 0;
  for (const [object, count] of hits) if (count > bestHits || (count === bestHits && object < best)) [best, bestHits] = [object, count];
  const ranks = new Map<string, number>();
  for (const key of keys) {
    const at = table.get(key)?.find((d) => d.object === best);
    if (at) ranks.set(key, at.rank);
  }
  return ranks;
}

const READ = { version: '1.2', merge: false, uniqueKeys: false, keepSourceTokens: false } as const;
/** What a document means: its value with every alias resolved (the loader has refused alias bombs already). */
const meaning = (doc: Document): unknown => doc.toJS({ maxAliasCount: 10_000 });

/** The canonical text of a YAML topology, or why it cannot be given. */
export function formatTopology(text: string): FormatResult {
  const doc = parseDocument(text, READ);
  if (doc.errors.length > 0) return { ok: false, reason: 'syntax', message: doc.errors[0]!.message, offset: doc.errors[0]!.pos[0] };
  const top = doc.contents;
  if (!isMap(top) || !top.items.some((pair) => isScalar(pair.key) && pair.key.value === 'hybridnet')) {
    return { ok: false, reason: 'not-topology', message: 'this is not a hybridnet topology: it has no "hybridnet:" key at the top (fmt rewrites topologies only)', offset: 0 };
  }
  let before: unknown;
  try {
    before = meaning(doc);
  } catch (error) {
    return { ok: false, reason: 'syntax', message: (error as Error).message, offset: 0 };
  }
  visit(doc, {
    Map: (_, map) => {
      const name = (key: unknown) => String((key as { value?: unknown })?.value ?? key);
      const ranks = ranksFor(map.items.map((pair) => name(pair.key)));
      const rank = (key: unknown) => ranks.get(name(key)) ?? Number.MAX_SAFE_INTEGER;
      // A stable sort: keys the schema does not know keep their relative order, after the known ones.
      map.items = map.items.map((pair, i) => ({ pair, i, r: rank(pair.key) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.pair);
    },
  });
  const firstAlias = (): number => {
    let offset = 0;
    visit(parseDocument(text, READ), {
      Alias: (_, node) => {
        if (isAlias(node)) offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return offset;
  };
  const refused = (why: string): FormatResult => ({ ok: false, reason: 'changes-meaning', message: `reordering would change what the file means: ${why}; nothing was changed (give each anchor its own name, or put the anchor before every alias in the canonical order)`, offset: firstAlias() });
  let formatted: string;
  try {
    formatted = doc.toString({ indent: 2, indentSeq: true, lineWidth: 100, flowCollectionPadding: false });
  } catch (error) {
    return refused(`an alias would come before its anchor (${(error as Error).message})`);
  }
  const again = parseDocument(formatted, READ);
  if (again.errors.length > 0) return refused(`an alias would come before its anchor (${again.errors[0]!.message})`);
  let after: unknown;
  try {
    after = meaning(again);
  } catch (error) {
    return refused(`an alias would come before its anchor (${(error as Error).message})`);
  }
  if (!isDeepStrictEqual(after, before)) return refused('an alias would refer to another anchor of the same name');
  return { ok: true, text: formatted };
}
