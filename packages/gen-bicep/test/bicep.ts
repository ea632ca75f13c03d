/** The tree-sitter Bicep grammar (wasm) for tests: syntax errors, and each resource's type, name and property paths. */
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
await Parser.init();
const language = await Language.load(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'));
const parser = new Parser();
parser.setLanguage(language);

export interface BicepResource {
  readonly type: string;
  readonly name: string;
  /** Every key path below `properties`, array positions left out: `subnets.properties.addressPrefix`. */
  readonly propertyPaths: string[];
}

export function parseBicep(text: string): { errors: string[]; resources: BicepResource[] } {
  const tree = parser.parse(text)!;
  const errors: string[] = [];
  const walkErrors = (n: Node) => {
    if (n.isError || n.isMissing) errors.push(`${n.startPosition.row + 1}:${n.startPosition.column + 1} ${JSON.stringify(n.text.slice(0, 50))}`);
    for (const c of n.children) if (c) walkErrors(c);
  };
  walkErrors(tree.rootNode);
  const resources: BicepResource[] = [];
  for (const decl of tree.rootNode.descendantsOfType('resource_declaration')) {
    if (!decl) continue;
    const typeText = decl.namedChildren.find((c) => c?.type === 'string')?.text.slice(1, -1) ?? '';
    const body = decl.namedChildren.find((c) => c?.type === 'object');
    const props = new Map<string, Node>();
    for (const p of body?.namedChildren ?? []) {
      if (p?.type !== 'object_property') continue;
      props.set(p.namedChildren[0]!.text, p.namedChildren[p.namedChildren.length - 1]!);
    }
    const paths: string[] = [];
    const collect = (n: Node, prefix: string) => {
      if (n.type === 'object') {
        for (const p of n.namedChildren) {
          if (p?.type !== 'object_property') continue;
          const key = p.namedChildren[0]!.text.replace(/^'|'$/g, '');
          const path = prefix ? `${prefix}.${key}` : key;
          paths.push(path);
          collect(p.namedChildren[p.namedChildren.length - 1]!, path);
        }
      } else if (n.type === 'array') for (const item of n.namedChildren) if (item) collect(item, prefix);
    };
    const properties = props.get('properties');
    if (properties) collect(properties, '');
    resources.push({ type: typeText.split('@')[0]!, name: props.get('name')?.text.slice(1, -1) ?? '', propertyPaths: [...new Set(paths)].sort() });
  }
  return { errors, resources };
}
