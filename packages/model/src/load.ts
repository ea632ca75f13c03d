/**
 * The loader: topology text (YAML or JSON) in, a typed topology and positioned diagnostics out.
 *
 * It parses with the `yaml` package keeping every node's source range, checks the data against
 * the zod schema, then links names (unique, and every reference resolves). Each problem, from
 * any phase, comes back with its model path mapped to `file:line:column`. Nothing here throws on
 * bad input, and nothing touches the disk: the caller reads the file.
 */
import { distance } from 'fastest-levenshtein';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import type { ModelCode } from './codes.ts';
import { dedupeDiagnostics, formatPath, sortDiagnostics, type Diagnostic, type ModelPath } from './diagnostics.ts';
import { linkTopology, type TopologyIndex } from './link.ts';
import { excessiveNesting } from './nesting.ts';
import { LITERAL_SECRET_MESSAGE } from './schema/primitives.ts';
import { Topology } from './schema/topology.ts';

/** Topologies are hand-written files; anything larger is a mistake or an attack. */
export const MAX_TOPOLOGY_BYTES = 16 * 1024 * 1024;
/** Alias expansion limit handed to `yaml` (a topology needs a handful of anchors at most). */
const MAX_ALIAS_COUNT = 1000;

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface LoadResult {
  readonly file: string;
  /** Present only when there are no errors. */
  readonly topology?: Topology;
  readonly index?: TopologyIndex;
  /** Positioned, sorted, one per (path, code). */
  readonly diagnostics: Diagnostic[];
  /** Maps a model path to its place in the file (for diagnostics from later phases). */
  readonly locate: (path: ModelPath, atKey?: boolean) => Position;
}

export function parseTopology(text: string, file: string): LoadResult {
  const start: Position = { line: 1, column: 1 };
  const early = (code: ModelCode, message: string, hint: string, at: Position = start): LoadResult => ({
    file,
    diagnostics: [{ code, severity: 'error', message, hint, path: [], file, ...at }],
    locate: () => start,
  });
  if (Buffer.byteLength(text, 'utf8') > MAX_TOPOLOGY_BYTES) {
    return early('hybridnet/load/file-too-large', `the file is larger than ${MAX_TOPOLOGY_BYTES / 1024 / 1024} MiB`, 'a topology is a hand-written description; split generated data out of it');
  }
  if (text.trim() === '' || /^(\s|#[^\n]*)*$/.test(text)) {
    return early('hybridnet/load/empty-file', 'the file is empty', 'start from one of the examples (examples/*/topology.yaml)');
  }

  const lineCounter = new LineCounter();
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const nesting = excessiveNesting(text);
  if (nesting) {
    lineCounter.addNewLine(0);
    for (const match of text.slice(0, nesting.offset).matchAll(/\n/g)) lineCounter.addNewLine(match.index + 1);
    return early('hybridnet/load/too-complex', `the document nests too deep: ${nesting.reason}`, 'a topology needs only a few levels of nesting; flatten the structure', toPosition(nesting.offset));
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = (path: ModelPath, atKey = false): Position => toPosition(findOffset(doc, path, atKey));
  const finish = (diagnostics: Diagnostic[], topology?: Topology, index?: TopologyIndex): LoadResult => ({
    file,
    topology,
    index,
    diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics.map((d) => (d.line ? d : { ...d, file, ...locate(d.path, d.code === 'hybridnet/model/unknown-key') })))),
    locate,
  });

  if (doc.errors.length > 0) {
    return finish(
      doc.errors.map((error) => ({
        code: error.code === 'DUPLICATE_KEY' ? 'hybridnet/load/duplicate-key' : error.code === 'RESOURCE_EXHAUSTION' ? 'hybridnet/load/too-complex' : 'hybridnet/load/yaml-syntax',
        severity: 'error',
        message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
        path: [],
        file,
        ...toPosition(error.pos[0]),
      })),
    );
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return early('hybridnet/load/too-complex', `the document cannot be expanded: ${(error as Error).message}`, 'remove recursive or heavily repeated YAML aliases');
  }

  const parsed = Topology.safeParse(data);
  if (!parsed.success) return finish(parsed.error.issues.flatMap((issue) => issueToDiagnostics(issue, [], data)));
  const linked = linkTopology(parsed.data);
  const hasError = linked.diagnostics.some((d) => d.severity === 'error');
  return finish(linked.diagnostics, hasError ? undefined : parsed.data, hasError ? undefined : linked.index);
}

/** Offset of the node at `path`, or of the deepest existing ancestor when the path runs out. */
function findOffset(doc: Document, path: ModelPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const [i, segment] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair && (pair.value == null || (atKey && i === path.length - 1))) return (pair.key as Node).range?.[0] ?? offset;
      next = pair?.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    const range = (next as Node | undefined)?.range;
    if (!range) return offset;
    node = next;
    offset = range[0];
  }
  return offset;
}

function valueAt(data: unknown, path: ModelPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}

const SCHEMA_KEYS: readonly string[] = [...collectKeys(z.toJSONSchema(Topology, { io: 'input', unrepresentable: 'any' }))].sort();

function* collectKeys(schema: unknown): Generator<string> {
  if (schema === null || typeof schema !== 'object') return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') yield* Object.keys(value);
    yield* collectKeys(value);
  }
}

function closestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const candidate of SCHEMA_KEYS) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

type Issue = z.core.$ZodIssue;

/** Turns one zod issue into diagnostics; `base` prefixes paths of issues nested in unions. */
function issueToDiagnostics(issue: Issue, base: ModelPath, data: unknown): Diagnostic[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  const value = valueAt(data, path);
  const make = (code: ModelCode, message: string, hint?: string, at: ModelPath = path): Diagnostic => ({ code, severity: 'error', message, path: at, ...(hint ? { hint } : {}) });
  if (value === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
    return [make('hybridnet/model/missing-field', `missing required field "${String(path.at(-1))}"`, `add "${String(path.at(-1))}"`)];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const suggestion = closestKey(key);
        return make('hybridnet/model/unknown-key', `unknown key "${key}"`, suggestion ? `did you mean "${suggestion}"?` : 'remove it; see the JSON Schema for the allowed keys', [...path, key]);
      });
    case 'invalid_type':
      return [make('hybridnet/model/wrong-type', `expected ${article(issue.expected)}, found ${describeValue(value)}`)];
    case 'invalid_value':
      return [make('hybridnet/model/invalid-value', `${describeValue(value)} is not allowed; expected ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`)];
    case 'invalid_union': {
      if (issue.message === LITERAL_SECRET_MESSAGE) {
        return [make('hybridnet/model/literal-secret', LITERAL_SECRET_MESSAGE, 'store the value in an environment variable, Key Vault, Secrets Manager or SSM and reference it, e.g. {env: HUB_PSK}')];
      }
      if ('discriminator' in issue && issue.discriminator) {
        const options = ('options' in issue ? (issue.options as unknown[]) : []).map((o) => JSON.stringify(o)).join(', ');
        return [make('hybridnet/model/invalid-value', `${describeValue(value)} is not allowed; expected one of ${options}`)];
      }
      // A union of shapes: report the branch that got furthest (not a plain type or literal mismatch).
      const branch = issue.errors.find((errors) => errors.some((e) => e.path.length > 0 || (e.code !== 'invalid_type' && e.code !== 'invalid_value')));
      if (branch) return branch.flatMap((e) => issueToDiagnostics(e, path, data));
      return [make('hybridnet/model/wrong-type', `${describeValue(value)} ${issue.message === 'Invalid input' ? 'matches none of the allowed forms' : `is not allowed: ${issue.message}`}`)];
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'array') {
        const few = issue.code === 'too_small';
        return [make(few ? 'hybridnet/model/too-few-items' : 'hybridnet/model/too-many-items', `needs ${few ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)} entr${issue.code === 'too_small' && issue.minimum === 1 ? 'y' : 'ies'}`)];
      }
      const code = issueCode(issue) ?? (issue.origin === 'string' ? 'hybridnet/model/invalid-value' : 'hybridnet/model/out-of-range');
      return [make(code, `${describeValue(value)}: ${issue.message}`)];
    }
    default: {
      const code = issueCode(issue) ?? 'hybridnet/model/invalid-value';
      const params = (issue as { params?: { hint?: string } }).params;
      return [make(code, issue.message, params?.hint)];
    }
  }
}

function issueCode(issue: Issue): ModelCode | undefined {
  const code = (issue as { params?: { code?: string } }).params?.code;
  return code ? (`hybridnet/model/${code}` as ModelCode) : undefined;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
