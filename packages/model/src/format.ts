/**
 * `hybridnet fmt`: a topology in canonical order and style, comments kept. Keys of every mapping
 * follow the order the schema declares them for that kind of object (name first, then the
 * fields as documented); lists
 * keep their order, since order means something there (rules, routes). Indentation is two spaces
 * and long text folds at 100 columns. Formatting twice changes nothing, and the topology means the same.
 */
import { isMap, parseDocument, visit } from 'yaml';
import { schemaObjects } from './json-schema.ts';

/** The declared order for a mapping's keys: the schema object that holds most of them (the first on a tie). */
function orderFor(keys: readonly string[]): readonly string[] {
  let best: readonly string[] = [];
  let bestHits = 0;
  for (const object of schemaObjects()) {
    const hits = keys.filter((k) => object.includes(k)).length;
    if (hits > bestHits) (best = object), (bestHits = hits);
  }
  return best;
}

/** The canonical text of a YAML topology, or undefined when it does not parse (validate says why). */
export function formatTopology(text: string): string | undefined {
  const doc = parseDocument(text, { version: '1.2', merge: false, keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;
  visit(doc, {
    Map: (_, map) => {
      if (!isMap(map)) return;
      const name = (key: unknown) => String((key as { value?: unknown })?.value ?? key);
      const order = orderFor(map.items.map((pair) => name(pair.key)));
      const rank = (key: unknown) => {
        const at = order.indexOf(name(key));
        return at < 0 ? Number.MAX_SAFE_INTEGER : at;
      };
      // A stable sort: keys the schema does not know keep their relative order, after the known ones.
      map.items = map.items.map((pair, i) => ({ pair, i })).sort((a, b) => rank(a.pair.key) - rank(b.pair.key) || a.i - b.i).map((x) => x.pair);
    },
  });
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 100, flowCollectionPadding: false });
}
