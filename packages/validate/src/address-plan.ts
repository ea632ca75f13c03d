/**
 * The address-plan engine: every overlapping pair in a list of named prefixes.
 *
 * Two CIDR prefixes are either disjoint or one contains the other, so after sorting by (first
 * address, length) a single sweep with a stack of the prefixes that enclose the current one finds
 * every overlap: the stack holds at most 33 (IPv4) or 129 (IPv6) entries, and each pair is found
 * once. Cost: the sort, O(n log n), plus one step per reported pair; never a comparison of every
 * pair. IPv4 keys are packed into a BigUint64Array so the sort is the engine's native numeric one.
 *
 *   findOverlaps([{ name: 'vnet-hub', prefix: '10.0.0.0/16' }, { name: 'branch', prefix: '10.0.4.0/24' }])
 *   // → [{ a: vnet-hub…, b: branch…, relation: 'contains' }]
 */
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
  const v4: ParsedNamedPrefix<T>[] = [];
  const v6: ParsedNamedPrefix<T>[] = [];
  const invalid: NamedPrefix<T>[] = [];
  for (const item of items) {
    const parsed = parsePrefix(item.prefix);
    if (!parsed.ok) invalid.push(item);
    else (parsed.value.version === 4 ? v4 : v6).push({ ...item, parsed: parsed.value });
  }
  return { overlaps: [...sweep(sortV4(v4)), ...sweep(sortV6(v6))], invalid };
}

/** Overlaps among already-parsed prefixes (the validator parses once and sweeps many groups). */
export function findParsedOverlaps<T>(items: readonly ParsedNamedPrefix<T>[]): Overlap<T>[] {
  return [...sweep(sortV4(items.filter((i) => i.parsed.version === 4))), ...sweep(sortV6(items.filter((i) => i.parsed.version === 6)))];
}

function sortV4<T>(items: readonly ParsedNamedPrefix<T>[]): ParsedNamedPrefix<T>[] {
  // key = first (32 bits) · length (6 bits) · index (26 bits): one native sort, ties impossible.
  if (items.length >= 1 << 26) throw new Error('more than 67 million IPv4 prefixes');
  const keys = new BigUint64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const p = items[i]!.parsed;
    keys[i] = (p.first << 32n) | (BigInt(p.length) << 26n) | BigInt(i);
  }
  keys.sort();
  const mask = (1n << 26n) - 1n;
  return Array.from(keys, (key) => items[Number(key & mask)]!);
}

function sortV6<T>(items: readonly ParsedNamedPrefix<T>[]): ParsedNamedPrefix<T>[] {
  return [...items].sort((x, y) => (x.parsed.first < y.parsed.first ? -1 : x.parsed.first > y.parsed.first ? 1 : x.parsed.length - y.parsed.length));
}

function sweep<T>(sorted: readonly ParsedNamedPrefix<T>[]): Overlap<T>[] {
  const overlaps: Overlap<T>[] = [];
  const stack: ParsedNamedPrefix<T>[] = [];
  for (const item of sorted) {
    while (stack.length > 0 && stack[stack.length - 1]!.parsed.last < item.parsed.first) stack.pop();
    for (const outer of stack) {
      overlaps.push({ a: outer, b: item, relation: outer.parsed.length === item.parsed.length ? 'equal' : 'contains' });
    }
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
