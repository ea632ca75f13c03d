/**
 * The imported topology as YAML: a header saying where it came from, each element's Azure resource
 * id in a comment above it, and at the end the list of what was read but could not be
 * represented. Canonical (what `hybridnet fmt` writes), so `fmt --check` passes on it.
 */
import { Document, type Node } from 'yaml';
import { formatTopology, printable } from '@hybridnet/model';
import type { ImportedTopology } from './map.ts';

/** Comment text on its own lines (ours), each made printable as everything hybridnet prints is; long lines kept whole. */
const commentLines = (text: string) => text.split('\n').map((line) => ` ${printable(line)}`).join('\n');

export function importedYaml(imported: ImportedTopology, header: string): string {
  const doc = new Document(imported.topology);
  for (const { path, text } of imported.comments) {
    const node = doc.getIn(path, true) as Node | undefined;
    if (!node) continue;
    node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${commentLines(text)}` : commentLines(text);
  }
  doc.commentBefore = commentLines(`yaml-language-server: $schema=topology.schema.json\n\n${header}`);
  const unrepresented = imported.unrepresented.length === 0
    ? 'Everything read is represented above.'
    : [`Read but not represented (${imported.unrepresented.length}):`, ...imported.unrepresented.map((u) => `- ${printable(u.id)}\n    ${printable(u.what)}`)].join('\n');
  doc.comment = commentLines(`${imported.secrets.length > 0 ? `Secrets Azure holds, which import never reads; set these (or change them to Key Vault references): ${imported.secrets.join(', ')}\n\n` : ''}${unrepresented}`);
  const text = doc.toString({ lineWidth: 0 });
  const formatted = formatTopology(text);
  if (!formatted.ok) throw new Error(`the imported topology is not canonical YAML: ${formatted.message}`);
  return formatted.text;
}
