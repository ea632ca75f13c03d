/**
 * @hybridnet/gen-docs: what a person reads: the diagram (SVG laid out by ELK, and Mermaid text
 * that code hosts render), a self-contained HTML report, the deployment runbook and the
 * verification plan.
 */
import type { Generator } from '@hybridnet/model';
import { topologyGraph } from './graph.ts';
import { mermaid } from './mermaid.ts';
import { report } from './report.ts';
import { runbook } from './runbook.ts';
import { layoutSvg } from './svg.ts';
import { verifyFiles } from './verify.ts';

export const docsGenerator = {
  target: 'docs',
  description: 'Diagram (SVG, Mermaid), HTML report, deployment runbook and verification plan',
  async generate(topology, index, context) {
    const graph = topologyGraph(topology, index, context.intents ?? []);
    // ELK lays the diagram out in its own thread while this one writes the rest (and the command
    // line runs the other generators); the report's findings are read last, when they have run.
    const laidOut = layoutSvg(graph);
    laidOut.catch(() => {});
    const mmd = mermaid(graph);
    const deploy = runbook(topology, index, context.source, context.routes ?? [], context.intents ?? []);
    const verify = verifyFiles(topology, index, context.routes ?? [], context.intents ?? []);
    const svg = await laidOut;
    return {
      files: [
        { path: 'diagram.svg', content: svg },
        { path: 'diagram.mmd', content: mmd },
        { path: 'report.html', content: report(topology, svg, context.routes ?? [], context.findings ?? [], context.intents ?? []) },
        { path: 'DEPLOY.md', content: deploy },
        ...verify,
      ],
      diagnostics: [],
    };
  },
} satisfies Generator;

export { topologyGraph, type Diagram } from './graph.ts';
export { layoutSvg, warmLayout } from './svg.ts';
export { mermaid } from './mermaid.ts';
export { report } from './report.ts';
export { runbook } from './runbook.ts';
export { verifyFiles, reachablePairs } from './verify.ts';
