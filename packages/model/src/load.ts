/**
 * The loader: topology text (YAML or JSON) in, a typed topology and positioned diagnostics out.
 *
 * It parses with the `yaml` package keeping every node's source range, checks the data against
 * the zod schema, then links names (unique, and every reference resolves). Each problem, from
 * any phase, comes back with its model path mapped to `file:line:column`. Nothing here throws on
 * bad input, and nothing touches the disk: the caller reads the file.
 */
import { distance } from 'fastest-levenshtein';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { ModelCode } from './codes.ts';
import { dedupeDiagnostics, echo, formatPath, isSecretPath, sortDiagnostics, type Diagnostic, type ModelPath } from './diagnostics.ts';
import { withUniqueSuffix } from './resolve.ts';
import { linkTopology, type TopologyIndex } from './link.ts';
import { excessiveNesting } from './nesting.ts';
import { LITERAL_SECRET_MESSAGE } from './schema/primitives.ts';
import { schemaObjects } from './json-schema.ts';
import { quickLoad } from './quick-yaml.ts';
import { Topology } from './schema/topology.ts';

/** Topologies are hand-written files; anything larger is a mistake or an attack. */
export const MAX_TOPOLOGY_BYTES = 16 * 1024 * 1024;
/** Alias expansion limit handed to `yaml` (a topology needs a handful of anchors at most). */
const MAX_ALIAS_COUNT = 1000;
/** Diagnostics of one code shown per file; the rest are counted in one more (20,000 unknown keys took 9 s and 3 MB). */
export const MAX_DIAGNOSTICS_PER_CODE = 100;

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
  /** The text as read (line ends as the positions count them), for source excerpts; absent when the bytes were not text. */
  readonly text?: string;
}

export function parseTopology(text: string, file: string): LoadResult {
  const start: Position = { line: 1, column: 1 };
  const early = (code: ModelCode, message: string, hint: string, at: Position = start): LoadResult => ({
    file,
    diagnostics: [{ code, severity: 'error', message, hint, path: [], file, ...at }],
    locate: () => start,
    text,
  });
  if (Buffer.byteLength(text, 'utf8') > MAX_TOPOLOGY_BYTES) {
    return early('hybridnet/load/file-too-large', `the file is larger than ${MAX_TOPOLOGY_BYTES / 1024 / 1024} MiB`, 'a topology is a hand-written description; split generated data out of it');
  }
  if (text.trim() === '' || /^(\s|#[^\n]*)*$/.test(text)) {
    return early('hybridnet/load/empty-file', 'the file is empty', 'start from one of the examples (examples/*/topology.yaml)');
  }

  // Classic Mac line ends (CR alone) are line ends too; same length, so offsets stay true.
  if (text.includes('\r')) text = text.replace(/\r(?!\n)/g, '\n');
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
  // YAML 1.1 changes what values mean (0177744 is octal 65508, 1:30 is 90, yes is true, << merges):
  // only YAML 1.2 is read, and a file that asks for another version is refused where it asks.
  const directive = /^%YAML[ \t]+(\S*)/m.exec(text);
  if (directive && directive[1] !== '1.2') {
    lineCounter.addNewLine(0);
    for (const match of text.slice(0, directive.index).matchAll(/\n/g)) lineCounter.addNewLine(match.index + 1);
    return early('hybridnet/load/yaml-version', `the file asks for YAML ${echo(directive[1] || '(no version)', 20)}; hybridnet reads YAML 1.2 only, where 0177744, 1:30, yes and << keep their plain meaning`, 'remove the %YAML line (or write %YAML 1.2) and check numbers with leading zeros, times and yes/no values', toPosition(directive.index));
  }
  const document = () => parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: '1.2', merge: false });

  // The quick reading (quick-yaml.ts): a file it reads that is valid and links without a word
  // needs no position now; the Document is parsed when something asks where a path is.
  const quick = quickLoad(text);
  if (quick) {
    const parsed = Topology.safeParse(quick.data);
    const topology = parsed.success ? withUniqueSuffix(parsed.data) : undefined;
    const linked = topology ? linkTopology(topology) : undefined;
    if (topology && linked && linked.diagnostics.length === 0) {
      let parsedDoc: Document | undefined;
      const locate = (path: ModelPath, atKey = false): Position => toPosition(findOffset((parsedDoc ??= document()), path, atKey));
      return { file, topology, index: linked.index, diagnostics: [], locate, text };
    }
  }

  // Duplicate keys are found below with a set per mapping: the parser's own check compares each
  // key with every earlier one (20,000 keys took 9 s).
  const doc = document();
  const duplicates: Diagnostic[] = [];
  visit(doc, {
    Map: (_, map) => {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) duplicates.push({ code: 'hybridnet/load/duplicate-key', severity: 'error', message: `the key "${echo(key)}" appears twice in one mapping`, hint: 'keep one of them', path: [], file, ...toPosition(pair.key.range?.[0] ?? 0) });
        seen.add(key);
      }
    },
  });
  const locate = (path: ModelPath, atKey = false): Position => toPosition(findOffset(doc, path, atKey));
  const finish = (diagnostics: Diagnostic[], topology?: Topology, index?: TopologyIndex): LoadResult => ({
    file,
    topology,
    index,
    diagnostics: sortDiagnostics(dedupeDiagnostics(capPerCode(diagnostics).map((d) => (d.line ? d : { ...d, file, ...locate(d.path, d.code === 'hybridnet/model/unknown-key') })))),
    locate,
    text,
  });

  if (doc.errors.length > 0 || duplicates.length > 0) {
    return finish([
      ...duplicates,
      ...doc.errors.map((error): Diagnostic => {
        const code = error.code === 'DUPLICATE_KEY' ? 'hybridnet/load/duplicate-key' : error.code === 'RESOURCE_EXHAUSTION' ? 'hybridnet/load/too-complex' : 'hybridnet/load/yaml-syntax';
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        const unclosed = code === 'hybridnet/load/yaml-syntax' ? unclosedFlow(text, error.pos[0], message) : undefined;
        if (unclosed) return { code, severity: 'error', message: unclosed.message, hint: unclosed.hint, path: [], file, ...toPosition(unclosed.offset) };
        const hint = code === 'hybridnet/load/yaml-syntax' ? (YAML_HINTS[error.code] ?? YAML_HINT) : undefined;
        return { code, severity: 'error', message, ...(hint ? { hint } : {}), path: [], file, ...toPosition(error.pos[0]) };
      }),
    ]);
  }

  // An alias to an anchor that does not exist is a mistake in the file, not a bomb: say which, where.
  let unresolved: Node | undefined;
  visit(doc, { Alias: (_, node) => void (unresolved ??= node.resolve(doc) ? undefined : (node as unknown as Node)) });
  if (unresolved) {
    const name = (unresolved as unknown as { source: string }).source;
    return early('hybridnet/load/yaml-syntax', `alias *${echo(name, 40)} refers to no anchor &${echo(name, 40)} before it`, `define &${echo(name, 40)} on the value to repeat, before its first use`, toPosition(unresolved.range?.[0] ?? 0));
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return early('hybridnet/load/too-complex', `the document cannot be expanded: ${(error as Error).message}`, 'remove recursive or heavily repeated YAML aliases');
  }

  const parsed = Topology.safeParse(data);
  if (!parsed.success) return finish(oneCausePerMistake(parsed.error.issues.flatMap((issue) => issueToDiagnostics(issue, [], data))));
  // The names Azure requires to be unique worldwide, with the topology's suffix (resolve.ts).
  const topology = withUniqueSuffix(parsed.data);
  const linked = linkTopology(topology);
  const hasError = linked.diagnostics.some((d) => d.severity === 'error');
  return finish(linked.diagnostics, hasError ? undefined : topology, hasError ? undefined : linked.index);
}

/**
 * Topology bytes as read from a file: UTF-8 (a byte-order mark is dropped), or UTF-16 with its
 * byte-order mark; anything else is refused with the place of the first byte that is not text.
 */
export function parseTopologyBytes(bytes: Uint8Array, file: string): LoadResult {
  const refuse = (message: string, hint: string, offset = 0): LoadResult => {
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const lines = before.split(/\r\n|\r|\n/);
    const at = { line: lines.length, column: lines.at(-1)!.length + 1 };
    return { file, diagnostics: [{ code: 'hybridnet/load/encoding', severity: 'error', message, hint, path: [], file, ...at }], locate: () => at };
  };
  if (bytes.length > MAX_TOPOLOGY_BYTES) return parseTopology('x'.repeat(MAX_TOPOLOGY_BYTES + 1), file);
  const bom = (a: number, b: number) => bytes[0] === a && bytes[1] === b;
  if (bom(0xff, 0xfe) || bom(0xfe, 0xff)) {
    try {
      return parseTopology(new TextDecoder(bom(0xff, 0xfe) ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes.subarray(2)), file);
    } catch {
      return refuse('the file starts like UTF-16 but is not valid UTF-16', 'save it as UTF-8');
    }
  }
  if (bytes.length >= 4 && ((bytes[1] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[2] === 0))) {
    return refuse('the file looks like UTF-16 without a byte-order mark', 'save it as UTF-8 (or UTF-16 with a byte-order mark)');
  }
  try {
    return parseTopology(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), file);
  } catch {
    // Where the text stops being UTF-8: the longest valid prefix.
    let good = 0;
    for (let step = 1 << 24; step >= 1; step >>= 1) {
      const next = Math.min(bytes.length, good + step);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, next), { stream: true });
        good = next;
      } catch {
        /* too far */
      }
    }
    return refuse(`the file is not UTF-8 text (byte 0x${bytes[good]?.toString(16).padStart(2, '0')} at offset ${good})`, 'save it as UTF-8 (or UTF-16 with a byte-order mark)', good);
  }
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

function describeValue(value: unknown, secret = false): string {
  if (value === null) return 'null';
  // Under a secret reference the value may be the secret itself, typed in the wrong place: never echo it.
  if (secret && (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')) return `a ${typeof value === 'string' ? 'string' : 'number'} (not shown: it may be a secret)`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data (!!binary)';
  if (typeof value === 'object') return 'a mapping';
  // YAML's .nan is not a number at all; .inf and -.inf (or a literal past the largest double) are infinite.
  if (typeof value === 'number' && Number.isNaN(value)) return 'not a number (.nan)';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value > 0 ? '' : 'minus '}infinity (.inf, or a number too large to represent)`;
  if (typeof value === 'string') return `string ${JSON.stringify(echo(value, 60))}`;
  return `${typeof value} ${String(value).slice(0, 60)}`;
}

const SECRET_FIELD = /^(sharedKey|adminPassword|secret|authorizationKey)$/;

/**
 * One diagnostic per mistake: a misspelt field is an unknown key with its "did you mean", not
 * also a missing field; a value written into a secret reference (`sharedKey: {value: …}`) is a
 * literal secret, not a missing `env`.
 */
function oneCausePerMistake(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (path: ModelPath) => formatPath(path);
  const unknown = diagnostics.filter((d) => d.code === 'hybridnet/model/unknown-key');
  const literal = new Set<string>();
  const dropMissing = new Set<string>();
  // Only mappings that miss a field can hold its misspelling (20,000 stray keys need no suggestion each).
  const missingIn = new Set(diagnostics.filter((d) => d.code === 'hybridnet/model/missing-field').map((d) => key(d.path.slice(0, -1))));
  for (const d of unknown) {
    const parent = d.path.slice(0, -1);
    const name = String(d.path.at(-1));
    const owner = parent.at(-1);
    if (typeof owner === 'string' && SECRET_FIELD.test(owner)) literal.add(key(parent));
    else if (missingIn.has(key(parent))) {
      const meant = suggested.get(d);
      if (meant) dropMissing.add(key([...parent, meant]));
    }
  }
  const out = diagnostics.filter((d) => {
    const parent = key(d.path.slice(0, -1));
    if (literal.has(parent) && (d.code === 'hybridnet/model/unknown-key' || d.code === 'hybridnet/model/missing-field')) return false;
    return !(d.code === 'hybridnet/model/missing-field' && dropMissing.has(key(d.path)));
  });
  for (const parentKey of literal) {
    const first = unknown.find((d) => key(d.path.slice(0, -1)) === parentKey)!;
    out.push({ code: 'hybridnet/model/literal-secret', severity: 'error', path: first.path.slice(0, -1), message: `${LITERAL_SECRET_MESSAGE} (found "${echo(String(first.path.at(-1)), 40)}:" inside it)`, hint: 'store the value in an environment variable, Key Vault, Secrets Manager or SSM and reference it, e.g. {env: HUB_PSK}' });
  }
  return out;
}

/** At most MAX_DIAGNOSTICS_PER_CODE of each code, and one more that counts the rest (before they are located). */
function capPerCode(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const counts = new Map<string, number>();
  const firstHidden = new Map<string, Diagnostic>();
  const kept = diagnostics.filter((d) => {
    const n = (counts.get(d.code) ?? 0) + 1;
    counts.set(d.code, n);
    if (n <= MAX_DIAGNOSTICS_PER_CODE) return true;
    if (!firstHidden.has(d.code)) firstHidden.set(d.code, d);
    return false;
  });
  for (const [code, d] of firstHidden) {
    kept.push({ ...d, message: `${(counts.get(code)! - MAX_DIAGNOSTICS_PER_CODE).toLocaleString('en')} more like this are not shown`, hint: 'fix the ones shown first; they often share a cause' });
  }
  return kept;
}

/** Every key the schema knows, for "did you mean"; worked out on the first unknown key. */
let schemaKeys: readonly string[] | undefined;
/** The key each unknown-key diagnostic suggests, for the pass that drops the field it makes "missing". */
const suggested = new WeakMap<Diagnostic, string>();
const knownKeys = (): readonly string[] => (schemaKeys ??= [...new Set(schemaObjects().flat())].sort());
let schemaKeySet: ReadonlySet<string> | undefined;
const knownKeySet = (): ReadonlySet<string> => (schemaKeySet ??= new Set(knownKeys()));
/** Each mapping's candidate keys, worked out once however many unknown keys it holds. */
const candidateCache = new WeakMap<object, ReadonlySet<string>>();

/** The keys of the kinds of object that hold every known key this mapping has (all keys when it has none). */
function candidatesFor(holder: object): ReadonlySet<string> {
  let candidates = candidateCache.get(holder);
  if (candidates === undefined) {
    const known = knownKeySet();
    const present = Object.keys(holder).filter((k) => known.has(k));
    const owners = present.length > 0 ? schemaObjects().filter((keys) => present.every((k) => keys.includes(k))) : [];
    candidates = owners.length > 0 ? new Set(owners.flat()) : known;
    candidateCache.set(holder, candidates);
  }
  return candidates;
}

/**
 * The known key nearest to `key`: among the keys of the kinds of object that hold every known
 * sibling it has (a VNet's misspelt key is matched with a VNet's keys), else among all keys.
 */
function closestKey(key: string, holder?: object): string | undefined {
  const known = knownKeySet();
  const candidates = holder ? candidatesFor(holder) : known;
  if (known.has(key) && !candidates.has(key)) return key; // a real key at the wrong level
  return nearest(key, candidates, Math.max(2, Math.floor(key.length / 4)));
}

/** The candidate nearest to `text` ignoring letter case, at most `within` edits away (the first of equals). */
function nearest(text: string, candidates: Iterable<string>, within: number): string | undefined {
  let best: string | undefined;
  let bestDistance = within + 1;
  for (const candidate of candidates) {
    const d = distance(text.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** "did you mean" for a value one of a set: the same but for letter case, or one or two letters off. */
function closestValue(value: unknown, allowed: readonly unknown[]): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const strings = allowed.filter((v): v is string => typeof v === 'string');
  const sameCase = strings.find((v) => v.toLowerCase() === value.toLowerCase());
  if (sameCase) return `did you mean "${sameCase}"? (values are case-sensitive)`;
  const best = nearest(value, strings, Math.min(3, Math.max(1, Math.floor(value.length / 4))));
  return best ? `did you mean "${best}"?` : undefined;
}

/** What to do about the YAML parser's errors, by its code (the parser's own words stay the message). */
const YAML_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'replace the tabs at the start of the line with spaces (two a level)',
  BAD_INDENT: 'line this up with the other entries of its list or mapping (two spaces a level)',
  MISSING_CHAR: 'a quote or bracket opened earlier is not closed',
  MULTILINE_IMPLICIT_KEY: 'a key and its value start on one line, as "key: value"; quote a value that holds ": " or "#"',
  BLOCK_AS_IMPLICIT_KEY: 'a key and its value start on one line, as "key: value"; quote a value that holds ": " or "#"',
  UNEXPECTED_TOKEN: 'check the line above too: an unclosed quote or bracket, or a missing ": " or "- "',
  BAD_DQ_ESCAPE: 'in double quotes a backslash starts an escape; use single quotes for a literal backslash',
};
const YAML_HINT = 'check the indentation and that every quote and bracket is closed';

/**
 * A flow list or mapping (`[a, b` or `{a: b`) not closed before the file or its block goes on:
 * the parser reports it where it gave up (often the next line, column 1); the place to fix is the
 * bracket that opened it.
 */
function unclosedFlow(text: string, at: number, message: string): { message: string; hint: string; offset: number } | undefined {
  const close = /end with an? ([\]}])/.exec(message)?.[1];
  if (!close) return undefined;
  const open = close === ']' ? '[' : '{';
  let depth = 0;
  for (let i = Math.min(at, text.length) - 1; i >= 0; i--) {
    const c = text[i];
    if (c === close) depth++;
    else if (c === open && depth-- === 0) {
      const kind = open === '[' ? 'list' : 'mapping';
      return { message: `this flow ${kind} is not closed: no ${close} after its ${open}`, hint: `close it with ${close} (on the same line, or indented deeper than its key), or write it as a block ${kind}`, offset: i };
    }
  }
  return undefined;
}

type Issue = z.core.$ZodIssue;

/** Turns one zod issue into diagnostics; `base` prefixes paths of issues nested in unions. */
function issueToDiagnostics(issue: Issue, base: ModelPath, data: unknown): Diagnostic[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  const secret = isSecretPath(path);
  const value = valueAt(data, path);
  const describe = (v: unknown) => describeValue(v, secret);
  const make = (code: ModelCode, message: string, hint?: string, at: ModelPath = path): Diagnostic => ({ code, severity: 'error', message, path: at, ...(hint ? { hint } : {}) });
  if (value === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
    return [make('hybridnet/model/missing-field', `missing required field "${String(path.at(-1))}"`, `add "${String(path.at(-1))}"`)];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        // No suggestion for a key no one types by hand (edit distance is quadratic in length).
        const holder = valueAt(data, path);
        const suggestion = key.length <= 64 ? closestKey(key, holder && typeof holder === 'object' ? holder : undefined) : undefined;
        // A key spelt right but at the wrong level: suggesting itself would be no help.
        // An object of one kind among several (an intent's kind, a connection's type): say which.
        const kind = holder && typeof holder === 'object' ? (['kind', 'type'] as const).find((d) => typeof (holder as Record<string, unknown>)[d] === 'string') : undefined;
        const otherKind = kind ? `"${key}" is not a field of one whose ${kind} is ${echo(String((holder as Record<string, unknown>)[kind]))}: check the ${kind}, or the indentation and level` : undefined;
        const hint = suggestion === key ? (otherKind ?? `"${key}" is a field of another kind of object, not this one: check its indentation and level`) : suggestion ? `did you mean "${suggestion}"?` : 'remove it; see the JSON Schema for the allowed keys';
        const diagnostic = make('hybridnet/model/unknown-key', `unknown key "${echo(key)}"`, hint, [...path, key]);
        if (suggestion) suggested.set(diagnostic, suggestion);
        return diagnostic;
      });
    case 'invalid_type':
      return [make('hybridnet/model/wrong-type', `expected ${article(issue.expected)}, found ${describe(value)}`)];
    case 'invalid_value':
      return [make('hybridnet/model/invalid-value', `${describe(value)} is not allowed; expected ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, secret ? undefined : closestValue(value, issue.values))];
    case 'invalid_union': {
      if (issue.message === LITERAL_SECRET_MESSAGE) {
        return [make('hybridnet/model/literal-secret', LITERAL_SECRET_MESSAGE, 'store the value in an environment variable, Key Vault, Secrets Manager or SSM and reference it, e.g. {env: HUB_PSK}')];
      }
      if ('discriminator' in issue && issue.discriminator) {
        const allowed = 'options' in issue ? (issue.options as unknown[]) : [];
        return [make('hybridnet/model/invalid-value', `${describe(value)} is not allowed; expected one of ${allowed.map((o) => JSON.stringify(o)).join(', ')}`, closestValue(value, allowed))];
      }
      // A union of shapes: report the branch that got furthest (not a plain type or literal mismatch).
      const branch = issue.errors.find((errors) => errors.some((e) => e.path.length > 0 || (e.code !== 'invalid_type' && e.code !== 'invalid_value')));
      if (branch) return branch.flatMap((e) => issueToDiagnostics(e, path, data));
      return [make('hybridnet/model/wrong-type', `${describe(value)} ${issue.message === 'Invalid input' ? 'matches none of the allowed forms' : `is not allowed: ${issue.message}`}`)];
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'array') {
        const few = issue.code === 'too_small';
        return [make(few ? 'hybridnet/model/too-few-items' : 'hybridnet/model/too-many-items', `needs ${few ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)} entr${issue.code === 'too_small' && issue.minimum === 1 ? 'y' : 'ies'}`)];
      }
      const code = issueCode(issue) ?? (issue.origin === 'string' ? 'hybridnet/model/invalid-value' : 'hybridnet/model/out-of-range');
      return [make(code, `${describe(value)}: ${issue.message}`)];
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
