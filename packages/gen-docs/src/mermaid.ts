/** The same graph as Mermaid flowchart text, which code hosts render. */
import type { Diagram, DiagramNode } from './graph.ts';

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');
const label = (lines: readonly string[]) => `"${lines.map((l) => l.replace(/"/g, '#quot;')).join('<br/>')}"`;

export function mermaid(diagram: Diagram): string {
  const out = ['flowchart LR'];
  const emit = (n: DiagramNode, indent: string) => {
    if (n.children.length > 0) {
      out.push(`${indent}subgraph ${id(n.id)}[${label(n.lines)}]`);
      for (const c of n.children) emit(c, `${indent}  `);
      out.push(`${indent}end`);
    } else out.push(`${indent}${id(n.id)}${n.kind === 'site' || n.kind === 'app' ? `(${label(n.lines)})` : `[${label(n.lines)}]`}`);
  };
  for (const n of diagram.nodes) emit(n, '  ');
  const arrow = { tunnel: '==>', expressroute: '==>', peering: '<-->', route: '-.->', bgp: '-.-', link: '-->' } as const;
  for (const e of diagram.edges) out.push(`  ${id(e.source)} ${arrow[e.style]}|${label([e.label])}| ${id(e.target)}`);
  return `${out.join('\n')}\n`;
}
