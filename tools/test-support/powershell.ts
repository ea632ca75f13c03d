/**
 * A real PowerShell grammar (tree-sitter-powershell, as wasm through web-tree-sitter) for tests:
 * syntax errors with positions, and every command with the parameters it is given (splatted
 * hashtables included).
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
await Parser.init();
const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
const parser = new Parser();
parser.setLanguage(language);

export interface PsCommand {
  readonly name: string;
  readonly parameters: string[];
  readonly line: number;
}

export interface PsParse {
  readonly errors: string[];
  readonly commands: PsCommand[];
  readonly root: Node;
}

export function parsePowerShell(text: string): PsParse {
  const tree = parser.parse(text)!;
  const errors: string[] = [];
  const commands: PsCommand[] = [];
  // Splatted hashtables: `$routes = @{ IPv4Subnet = ... }` then `Add-X @routes` passes -IPv4Subnet.
  const splats = new Map<string, string[]>();
  const walk = (node: Node): void => {
    if (node.type === 'assignment_expression') {
      const target = node.child(0)?.text.trim() ?? '';
      const hash = node.childForFieldName('value')?.descendantsOfType('hash_literal_expression')[0];
      if (hash && target.startsWith('$')) splats.set(target.slice(1), hash.descendantsOfType('key_expression').filter((k): k is Node => k !== null).map((k) => k.text));
    }
    if (node.isError || node.isMissing) errors.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? 'missing' : 'unexpected'} ${JSON.stringify(node.text.slice(0, 60))}`);
    if (node.type === 'command') {
      const name = node.childForFieldName('command_name')?.text ?? '';
      const elements = node.childForFieldName('command_elements');
      const parameters = (elements?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type === 'command_parameter').map((c) => c.text.replace(/^-/, '').replace(/:$/, ''));
      for (const variable of elements?.descendantsOfType('variable') ?? []) {
        if (variable?.text.startsWith('@')) parameters.push(...(splats.get(variable.text.slice(1)) ?? [`@${variable.text.slice(1)} (unknown splat)`]));
      }
      commands.push({ name, parameters, line: node.startPosition.row + 1 });
    }
    for (const child of node.children) if (child) walk(child);
  };
  walk(tree.rootNode);
  return { errors, commands, root: tree.rootNode };
}
