/**
 * The address-plan engine: every overlapping pair in a list of named prefixes.
 *
 * Two CIDR prefixes are either disjoint or one contains the other, so after sorting by (first
 * address, length) a single sweep with a stack of the prefixes that enclose the current one finds
 * every overlap: the stack holds at most 33 (IPv4) or 129 (IPv6) entries, and each pair is found
 * once. Cost: the sort, O(n log n), plus one step per reported pair; never a comparison of every
 * pair. IPv4 prefixes are kept as columns of numbers and sorted by one native numeric sort.
 *
 *   findOverlaps([{ name: 'vnet-hub', prefix: '10.0.0.0/16' }, { name: 'branch', prefix: '10.0.4.0/24' }])
 *   // → [{ a: vnet-hub…, b: branch…, relation: 'contains' }]
 */
import { endianness } from 'node:os';
import { parsePrefix, type Prefix } from '@hybridnet/model';

export interface NamedPrefix<T = unknown> {
  readonly name: string;
  readonly prefix: string;
  /** Anything the caller wants back with a hit (a model path, an owner). */
  readonly tag?: T;
}

export interface ParsedNamedPrefix<T = unknown> extends NamedPrefix<T> {
  readonly parsed: Prefix;
}

export interface Overlap<T = unknown> {
  /** The enclosing (or equal) prefix: it comes first in address order. */
  readonly a: ParsedNamedPrefix<T>;
  readonly b: ParsedNamedPrefix<T>;
  readonly relation: 'equal' | 'contains';
}

export interface OverlapResult<T = unknown> {
  readonly overlaps: Overlap<T>[];
  /** Entries whose prefix does not parse; they take no part in the sweep. */
  readonly invalid: NamedPrefix<T>[];
}

/** Every overlapping pair, IPv4 and IPv6, in address order. */
export function findOverlaps<T>(items: readonly NamedPrefix<T>[]): OverlapResult<T> {
  // Columns instead of objects: a million prefixes must not mean a million allocations.
  const v4 = new V4Columns(items.length);
  const v6: number[] = [];
  const v6Prefixes: Prefix[] = [];
  const invalid: NamedPrefix<T>[] = [];
  for (let i = 0; i < items.length; i++) {
    const text = items[i]!.prefix;
    const fast = parseV4Fast(text);
    if (fast >= 0) {
      v4.add(Math.floor(fast / 64), fast % 64, i);
      continue;
    }
    const parsed = parsePrefix(text);
    if (!parsed.ok) invalid.push(items[i]!);
    else if (parsed.value.version === 4) v4.add(Number(parsed.value.first), parsed.value.length, i);
    else (v6.push(i), v6Prefixes.push(parsed.value));
  }
  const materialised = new Map<number, ParsedNamedPrefix<T>>();
  const entry = (i: number, parsed?: Prefix): ParsedNamedPrefix<T> => {
    let found = materialised.get(i);
    if (!found) {
      const item = items[i]!;
      found = { ...item, parsed: parsed ?? (parsePrefix(item.prefix) as { ok: true; value: Prefix }).value };
      materialised.set(i, found);
    }
    return found;
  };
  const overlaps: Overlap<T>[] = [];
  const pairs4 = v4.overlaps();
  for (let k = 0; k < pairs4.length; k += 2) overlaps.push(overlap(entry(pairs4[k]!), entry(pairs4[k + 1]!)));
  const v6Entries = v6.map((i, k) => ({ name: '', prefix: '', parsed: v6Prefixes[k]!, tag: i }));
  for (const o of sweep(sortV6(v6Entries))) overlaps.push(overlap(entry(o.a.tag, o.a.parsed), entry(o.b.tag, o.b.parsed)));
  return { overlaps, invalid };
}

/** Overlaps among already-parsed prefixes (the validator parses once and sweeps many groups). */
export function findParsedOverlaps<T>(items: readonly ParsedNamedPrefix<T>[]): Overlap<T>[] {
  const v4 = new V4Columns(items.length);
  const v6: ParsedNamedPrefix<T>[] = [];
  items.forEach((item, i) => (item.parsed.version === 4 ? v4.add(Number(item.parsed.first), item.parsed.length, i) : v6.push(item)));
  const pairs4 = v4.overlaps();
  const overlaps: Overlap<T>[] = [];
  for (let k = 0; k < pairs4.length; k += 2) overlaps.push(overlap(items[pairs4[k]!]!, items[pairs4[k + 1]!]!));
  for (const o of sweep(sortV6(v6))) overlaps.push(overlap(o.a, o.b));
  return overlaps;
}

/**
 * Overlaps grouped so that duplication cannot blow up the report: items with the identical
 * prefix form one group (listed once, in input order), and the distinct ranges overlap each
 * other as pairs of group representatives (at most 33 or 129 per range, since containment
 * chains are that deep). Linear in the items whatever their duplication; pairwise reporting of
 * 6,000 copies of one prefix was 18 million pairs.
 */
export function findOverlapGroups<T>(items: readonly ParsedNamedPrefix<T>[]): { same: ParsedNamedPrefix<T>[][]; nested: Overlap<T>[] } {
  const groups = new Map<string, ParsedNamedPrefix<T>[]>();
  for (const item of items) {
    const key = `${item.parsed.version}/${item.parsed.first}/${item.parsed.length}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const all = [...groups.values()];
  // Each finding sits on the later of the two in the file: the one most likely just added.
  const order = new Map(items.map((item, i) => [item, i]));
  const nested = findParsedOverlaps(all.map((g) => g[0]!)).map((o) => (order.get(o.a)! > order.get(o.b)! ? { ...o, a: o.b, b: o.a } : o));
  return { same: all.filter((g) => g.length > 1), nested };
}

function overlap<T>(a: ParsedNamedPrefix<T>, b: ParsedNamedPrefix<T>): Overlap<T> {
  return { a, b, relation: a.parsed.length === b.parsed.length ? 'equal' : 'contains' };
}

/**
 * first·64 + length for a strict IPv4 prefix in network form, or -1 (then parsePrefix decides and
 * explains). A character scan with the same rules as the model's parser (no leading zeros, octets
 * up to 255, length up to 32): a million regex matches would cost a million allocations.
 */
function parseV4Fast(text: string): number {
  let value = 0;
  let i = 0;
  for (let part = 0; part < 5; part++) {
    const start = i;
    let n = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) n = n * 10 + c - 48;
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
    if (part < 4) {
      if (n > 255 || text.charCodeAt(i) !== (part < 3 ? 46 : 47)) return -1; // '.' or '/'
      value = value * 256 + n;
      i++;
    } else {
      if (n > 32 || i !== text.length || value % 2 ** (32 - n) !== 0) return -1;
      return value * 64 + n;
    }
  }
  return -1;
}

/**
 * IPv4 prefixes as columns. The sort key (first address, length, position) is written into a
 * BigUint64Array through a Uint32Array view of the same memory, so sorting is one native numeric
 * sort with no BigInt arithmetic per prefix.
 */
class V4Columns {
  private readonly keys: BigUint64Array;
  private readonly words: Uint32Array;
  private count = 0;
  private static readonly HIGH = endianness() === 'LE' ? 1 : 0;

  constructor(capacity: number) {
    if (capacity >= 1 << 26) throw new Error('more than 67 million prefixes in one plan');
    this.keys = new BigUint64Array(capacity);
    this.words = new Uint32Array(this.keys.buffer);
  }

  add(first: number, length: number, position: number): void {
    const at = this.count++ * 2;
    this.words[at + V4Columns.HIGH] = first;
    this.words[at + 1 - V4Columns.HIGH] = ((length << 26) | position) >>> 0;
  }

  /** Overlapping pairs as positions [outer, inner, outer, inner, ...], in address order. */
  overlaps(): number[] {
    const keys = this.keys.subarray(0, this.count).sort();
    const words = new Uint32Array(keys.buffer, keys.byteOffset, this.count * 2);
    const pairs: number[] = [];
    const stackLast: number[] = [];
    const stackPosition: number[] = [];
    for (let k = 0; k < this.count; k++) {
      const low = words[k * 2 + 1 - V4Columns.HIGH]!;
      const first = words[k * 2 + V4Columns.HIGH]!;
      const length = low >>> 26;
      const position = low & 0x3ffffff;
      while (stackLast.length > 0 && stackLast[stackLast.length - 1]! < first) (stackLast.pop(), stackPosition.pop());
      for (const outer of stackPosition) pairs.push(outer, position);
      stackLast.push(first + 2 ** (32 - length) - 1);
      stackPosition.push(position);
    }
    return pairs;
  }
}

function sortV6<E extends { parsed: Prefix }>(items: readonly E[]): E[] {
  return [...items].sort((x, y) => (x.parsed.first < y.parsed.first ? -1 : x.parsed.first > y.parsed.first ? 1 : x.parsed.length - y.parsed.length));
}

function sweep<E extends { parsed: Prefix }>(sorted: readonly E[]): { a: E; b: E }[] {
  const overlaps: { a: E; b: E }[] = [];
  const stack: E[] = [];
  for (const item of sorted) {
    while (stack.length > 0 && stack[stack.length - 1]!.parsed.last < item.parsed.first) stack.pop();
    for (const outer of stack) overlaps.push({ a: outer, b: item });
    stack.push(item);
  }
  return overlaps;
}

/**
 * The obvious method, comparing every pair: O(n²). Kept as the reference the engine is measured
 * and tested against; never used by the validator.
 */
export function findOverlapsPairwise<T>(items: readonly NamedPrefix<T>[]): [NamedPrefix<T>, NamedPrefix<T>][] {
  const parsed = items.map((item) => ({ item, p: parsePrefix(item.prefix) }));
  const pairs: [NamedPrefix<T>, NamedPrefix<T>][] = [];
  for (let i = 0; i < parsed.length; i++) {
    const x = parsed[i]!;
    if (!x.p.ok) continue;
    for (let j = i + 1; j < parsed.length; j++) {
      const y = parsed[j]!;
      if (y.p.ok && x.p.value.version === y.p.value.version && x.p.value.first <= y.p.value.last && y.p.value.first <= x.p.value.last) pairs.push([x.item, y.item]);
    }
  }
  return pairs;
}
