/**
 * The diagram as SVG: ELK's layered layout (elkjs), drawn as boxes and orthogonal edges with
 * their labels. Same graph, same SVG: ELK's layered algorithm is deterministic and nothing here
 * depends on time or randomness.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import ELK from 'elkjs/lib/elk-api.js';
import { xmlText } from '@hybridnet/render';
import { ADVANCE, CHARACTERS } from './data/text-metrics.ts';
import type { Diagram, DiagramEdge, DiagramNode, NodeKind } from './graph.ts';

const LINE = 15;
const PAD = 8;
const FONT_SIZE = 11;
/** Liberation Sans first: its widths are the ones measured (data/text-metrics.ts), and Arial's. */
const FONT_FAMILY = "'Liberation Sans', Arial, Helvetica, sans-serif";

/** Each character's place in the width table; a character not there measures as "M". */
const PLACE = new Map([...CHARACTERS].map((c, i) => [c, i]));
const M = PLACE.get('M')!;
/** The width of `text` in Liberation Sans (Arial's metrics) at `size` pixels. */
export function measureText(text: string, size = FONT_SIZE, bold = false): number {
  const widths = bold ? ADVANCE.bold : ADVANCE.regular;
  let total = 0;
  for (const c of text) total += widths[PLACE.get(c) ?? M]!;
  return (total * size) / 1000;
}

/**
 * A line of text drawn exactly as wide as it was measured: with another font than the one
 * measured (a machine without Liberation Sans or Arial), the browser fits the glyphs to that
 * width instead of letting them run out of their box.
 */
function textElement(x: number, y: number, text: string, attributes = '', size = FONT_SIZE, bold = false): string {
  const width = measureText(text, size, bold);
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${bold ? ' font-weight="bold"' : ''}${attributes} textLength="${width.toFixed(1)}" lengthAdjust="spacingAndGlyphs">${xmlText(text)}</text>`;
}

const FILL: Record<NodeKind, string> = {
  vnet: '#eaf3fb',
  subnet: '#ffffff',
  gateway: '#fff1dc',
  instance: '#ffe4bd',
  expressroute: '#fde8d7',
  routeserver: '#f3e8fd',
  firewall: '#fde2e2',
  appliance: '#fde2e2',
  site: '#e6f5e9',
  vpc: '#fff8e1',
  endpoint: '#f1f5f9',
  app: '#efe9fb',
};
const STROKE: Record<DiagramEdge['style'], string> = { tunnel: '#c05f00', expressroute: '#8a3b00', peering: '#1f6fb2', route: '#c62828', bgp: '#6d28d9', link: '#6b7280' };
const PATH_HOLDS = '#2563eb';
const PATH_FAILS = '#dc2626';
/** Dashed lines: a route (a UDR toward a firewall) and a BGP session (which rides on a tunnel or a subnet). */
const DASH: Partial<Record<DiagramEdge['style'], string>> = { route: '5 3', bgp: '2 3' };

interface ElkNode {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  layoutOptions?: Record<string, string>;
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
}
interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[];
  container?: string;
}

/** Box width for its lines, measured; the first is bold. */
const textWidth = (lines: readonly string[]) => Math.ceil(Math.max(...lines.map((l, i) => measureText(l, FONT_SIZE, i === 0)))) + 2 * PAD;

function elkNode(n: DiagramNode): ElkNode {
  const header = n.lines.length * LINE + PAD;
  if (n.children.length === 0) return { id: n.id, width: textWidth(n.lines), height: n.lines.length * LINE + 2 * PAD };
  return {
    id: n.id,
    layoutOptions: { 'elk.padding': `[top=${header + PAD},left=${PAD * 2},bottom=${PAD * 2},right=${PAD * 2}]`, 'elk.direction': 'DOWN', 'elk.nodeSize.constraints': '[MINIMUM_SIZE]', 'elk.nodeSize.minimum': `(${textWidth(n.lines)}, ${header})` },
    children: n.children.map(elkNode),
  };
}

/**
 * ELK's layout engine (elk-worker.min.js, 1.6 MB compiled from Java) runs in a thread of its own,
 * as elkjs intends (its API speaks to a worker by messages): loading it took 330 ms and laying
 * out a large estate 220 ms of the main thread, which meanwhile writes the rest of the docs.
 * The thread runs elkjs's own in-process worker class and passes the messages through.
 *
 * The bundle also carries V8's code cache of the engine (tools/build-cli.ts makes it with
 * `engineCodeCache` after laying the examples out): with it the thread starts from compiled code,
 * 0.34 s of its work instead of 0.57 s for the large topology. V8 refuses a cache made by another
 * version or with other flags (`cachedDataRejected`), and the engine is then compiled afresh.
 */
const BESIDE = fileURLToPath(new URL('./elk-worker.min.cjs', import.meta.url));
// Beside this module in the bundle (tools/build-cli.ts copies it there, as .cjs: the bundle sits in an ES module package);
// in elkjs's package when run from the sources.
const ENGINE = existsSync(BESIDE) ? BESIDE : createRequire(import.meta.url).resolve('elkjs/lib/elk-worker.min.js');
/** Where the bundle keeps the engine's code cache (absent when run from the sources). */
export const ENGINE_CODE_CACHE = fileURLToPath(new URL('./elk-worker.cache', import.meta.url));
const THREAD = `const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { Script } = require('node:vm');
let cachedData;
try { cachedData = readFileSync(workerData.cache); } catch {}
// The engine as Node would load it, a CommonJS module, compiled from the cache when V8 takes it.
const script = new Script('(function (exports, require, module, __filename, __dirname) {' + readFileSync(workerData.engine, 'utf8') + '\\n})', { filename: workerData.engine, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, require, module, workerData.engine, dirname(workerData.engine));
const engine = new module.exports.Worker();
engine.onmessage = (answer) => {
  try {
    parentPort.postMessage(answer.data);
  } catch (error) {
    parentPort.postMessage({ id: answer.data.id, error: { message: String(answer.data.error && answer.data.error.message || answer.data.error || error) } });
  }
};
parentPort.on('message', (message) => message === 'code cache' ? parentPort.postMessage({ codeCache: script.createCachedData() }) : engine.postMessage(message));`;

interface Engine {
  readonly thread: Worker;
  /** Rejects when the thread dies (out of memory, a message it cannot send): no layout waits on it then. */
  readonly died: Promise<never>;
}

function startEngine(): Engine {
  // No options of this process's own (a loader, --input-type): the thread runs plain CommonJS.
  const thread = new Worker(THREAD, { eval: true, execArgv: [], workerData: { engine: ENGINE, cache: ENGINE_CODE_CACHE } });
  const died = new Promise<never>((_, reject) => {
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the ELK layout thread stopped (exit code ${code})`)));
  });
  died.catch(() => {}); // met where a layout waits on it
  return { thread, died };
}

let warm: Engine | undefined;

/**
 * Starts ELK's thread and loads its engine now, for the next layout (the command line calls it
 * before it reads the topology, so the engine loads while the topology is read and validated).
 * An engine nobody takes does not keep the process alive.
 */
export function warmLayout(): void {
  if (warm) return;
  warm = startEngine();
  warm.thread.unref();
}

/** Lays each graph out in one engine thread; with `codeCache`, also returns V8's cache of the engine's code as it stands after them. */
async function layout(graphs: readonly ElkNode[], codeCache = false): Promise<{ laid: ElkNode[]; cache?: Uint8Array }> {
  const { thread, died } = warm ?? startEngine();
  warm = undefined;
  thread.ref();
  const port: { onmessage?: (answer: { data: unknown }) => void; postMessage: (message: unknown) => void; terminate: () => void } = {
    postMessage: (message) => thread.postMessage(message),
    terminate: () => void thread.terminate(),
  };
  let cached: ((cache: Uint8Array) => void) | undefined;
  thread.on('message', (data: { codeCache?: Uint8Array }) => (data.codeCache ? cached?.(data.codeCache) : port.onmessage?.({ data })));
  const elk = new ELK({ workerFactory: () => port as never });
  try {
    const laid: ElkNode[] = [];
    for (const graph of graphs) laid.push((await Promise.race([elk.layout(graph as never), died])) as unknown as ElkNode);
    if (!codeCache) return { laid };
    const cache = new Promise<Uint8Array>((resolve) => (cached = resolve));
    thread.postMessage('code cache');
    return { laid, cache: await Promise.race([cache, died]) };
  } finally {
    await thread.terminate();
  }
}

/**
 * V8's code cache of ELK's engine after laying these diagrams out (so the functions a layout
 * runs are in it, compiled), for the bundle to carry at ENGINE_CODE_CACHE.
 */
export async function engineCodeCache(diagrams: readonly Diagram[]): Promise<Uint8Array> {
  return (await layout(diagrams.map(elkGraph), true)).cache!;
}

function elkGraph(diagram: Diagram): ElkNode {
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.inline': 'false',
    },
    children: diagram.nodes.map(elkNode),
    edges: diagram.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target], labels: [{ text: e.label, width: Math.ceil(measureText(e.label)), height: LINE - 2 }] })),
  };
}

export async function layoutSvg(diagram: Diagram): Promise<string> {
  const [laid] = (await layout([elkGraph(diagram)])).laid as [ElkNode];

  const byId = new Map<string, { node: DiagramNode; x: number; y: number; w: number; h: number }>();
  const offsets = new Map<string, { x: number; y: number }>([['root', { x: 0, y: 0 }]]);
  const source = new Map<string, DiagramNode>();
  const index = (nodes: DiagramNode[]) => nodes.forEach((n) => (source.set(n.id, n), index(n.children)));
  index(diagram.nodes);
  const place = (n: ElkNode, ox: number, oy: number) => {
    const x = ox + (n.x ?? 0);
    const y = oy + (n.y ?? 0);
    offsets.set(n.id, { x, y });
    const s = source.get(n.id);
    if (s) byId.set(n.id, { node: s, x, y, w: n.width ?? 0, h: n.height ?? 0 });
    for (const c of n.children ?? []) place(c, x, y);
  };
  for (const c of laid.children ?? []) place(c, 0, 0);

  const parts: string[] = [];
  const box = (id: string) => {
    const b = byId.get(id)!;
    const rounded = b.node.kind === 'site' || b.node.kind === 'app' || b.node.kind === 'endpoint' ? 12 : 4;
    parts.push(`<g class="node ${b.node.kind}" id="${xmlText(id)}"><rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="${rounded}" fill="${FILL[b.node.kind]}" stroke="#4b5563" stroke-width="${b.node.kind === 'vnet' ? 1.5 : 1}"/>`);
    b.node.lines.forEach((line, i) => parts.push(textElement(b.x + PAD, b.y + PAD + (i + 1) * LINE - 4, line, '', FONT_SIZE, i === 0)));
    parts.push('</g>');
    for (const c of b.node.children) box(c.id);
  };
  for (const n of diagram.nodes) box(n.id);

  const style = new Map(diagram.edges.map((e) => [e.id, e.style]));
  const collect = (n: ElkNode): ElkEdge[] => [...(n.edges ?? []), ...(n.children ?? []).flatMap(collect)];
  for (const e of collect(laid)) {
    const o = offsets.get(e.container ?? 'root') ?? { x: 0, y: 0 };
    const color = STROKE[style.get(e.id) ?? 'link'];
    for (const s of e.sections ?? []) {
      const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${(p.x + o.x).toFixed(1)},${(p.y + o.y).toFixed(1)}`).join(' ');
      parts.push(`<polyline class="edge ${style.get(e.id)}" points="${points}" fill="none" stroke="${color}" stroke-width="1.6"${DASH[style.get(e.id) ?? 'link'] ? ` stroke-dasharray="${DASH[style.get(e.id) ?? 'link']}"` : ''}${style.get(e.id) === 'bgp' ? '' : ' marker-end="url(#arrow)"'}/>`);
    }
    for (const l of e.labels ?? []) parts.push(textElement((l.x ?? 0) + o.x, (l.y ?? 0) + o.y + LINE - 4, l.text, ` class="edge-label" fill="${color}"`));
  }

  // Each intent's path: hidden until asked for (diagram.svg#path-<intent>, or a link in the
  // legend or the report), then a wide line through the top left corners of the boxes it
  // crosses, numbered there, where it hides no text.
  const corner = (id: string) => {
    const b = byId.get(id)!;
    return { x: b.x, y: b.y };
  };
  for (const p of diagram.paths) {
    const colour = p.holds ? PATH_HOLDS : PATH_FAILS;
    const points = p.nodes.map(corner);
    parts.push(`<g class="intent-path" id="${xmlText(p.id)}"><polyline points="${points.map((c) => `${c.x.toFixed(1)},${c.y.toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="5" stroke-opacity="0.55" stroke-linejoin="round" marker-end="url(#path-arrow)"/>`);
    points.forEach((c, i) => parts.push(`<circle cx="${c.x.toFixed(1)}" cy="${c.y.toFixed(1)}" r="8" fill="${colour}"/>${textElement(c.x - measureText(String(i + 1), 10, true) / 2, c.y + 3.5, String(i + 1), ' fill="#ffffff"', 10, true)}`));
    parts.push('</g>');
  }
  const bottom = Math.ceil(laid.height ?? 0);
  const legend = diagram.paths.map((p, i) => `<a href="#${xmlText(p.id)}">${textElement(0, bottom + 22 + i * LINE, `▸ ${p.label}`, ` class="path-link" fill="${p.holds ? PATH_HOLDS : PATH_FAILS}"`)}</a>`);
  if (legend.length > 0) legend.unshift(textElement(0, bottom + 22 - LINE, 'Intents (choose one to draw its path):', '', FONT_SIZE, true));

  const width = Math.ceil(Math.max(laid.width ?? 0, ...diagram.paths.map((p) => measureText(`▸ ${p.label}`))) + 20);
  const height = Math.ceil((laid.height ?? 0) + 40 + (legend.length > 0 ? (legend.length + 1) * LINE : 0));
  const title = `hybridnet topology ${diagram.title}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="-10 -30 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">`,
    '<style>.intent-path{display:none}.intent-path:target{display:inline}</style>',
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4b5563"/></marker><marker id="path-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="4" markerHeight="4" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${PATH_HOLDS}"/></marker></defs>`,
    textElement(0, -12, title, '', 14, true),
    ...parts,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
