/**
 * The address-plan engine: every overlapping pair in a list of named prefixes.
 *
 * Two CIDR prefixes are either disjoint or one contains the other, so after sorting by (first
 * address, length) a single sweep with a stack of the prefixes that enclose the current one finds
 * every overlap: the stack holds at most 33 (IPv4) or 129 (IPv6) entries, and each pair is found
 * once. Cost: the sort, O(n log n), plus one step per reported pair; never a comparison of every
 * pair. IPv4 prefixes are kept as columns of numbers and sorted by one native numeric sort; IPv6
 * prefixes are parsed from text into four 32-bit words each and sorted by a radix sort.
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

/**
 * The engine on prefixes as text, by position: every overlapping pair as [outer, inner, ...] (the
 * enclosing or equal one first; IPv4 pairs in address order, then IPv6), and the positions whose
 * text does not parse. Nothing is allocated per prefix: a million prefixes are a few typed arrays.
 */
export function overlapIndexes(prefixes: readonly string[]): { pairs: number[]; invalid: number[] } {
  const plan = new PlanColumns(prefixes.length);
  for (let i = 0; i < prefixes.length; i++) plan.add(prefixes[i]!, 0, prefixes[i]!.length, i);
  return plan.overlaps();
}

/**
 * The same on a plan as one text, one prefix per line (a line's position is its number, from 0):
 * the prefixes are parsed where they lie in the text, so not even a string is made per prefix.
 */
export function overlapIndexesInLines(text: string): { pairs: number[]; invalid: number[] } {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  if (text.length > 0 && !text.endsWith('\n')) lines++;
  const plan = new PlanColumns(lines);
  let from = 0;
  for (let line = 0; line < lines; line++) {
    const end = text.indexOf('\n', from);
    const to = end < 0 ? text.length : end;
    plan.add(text, from, to, line);
    from = to + 1;
  }
  return plan.overlaps();
}

/** Both families' columns: each prefix through its fast parser, else the model's parser, which explains. */
class PlanColumns {
  private readonly v4: V4Columns;
  private readonly v6: V6Columns;
  private readonly invalid: number[] = [];

  constructor(capacity: number) {
    this.v4 = new V4Columns(capacity);
    this.v6 = new V6Columns(capacity);
  }

  add(text: string, from: number, to: number, position: number): void {
    const fast = parseV4Fast(text, from, to);
    if (fast >= 0) return this.v4.add(Math.floor(fast / 64), fast % 64, position);
    if (this.v6.addText(text, position, from, to)) return;
    // Anything else (an IPv6 address with an IPv4 tail, or a mistake) goes the way that explains.
    const parsed = parsePrefix(from === 0 && to === text.length ? text : text.slice(from, to));
    if (!parsed.ok) this.invalid.push(position);
    else if (parsed.value.version === 4) this.v4.add(Number(parsed.value.first), parsed.value.length, position);
    else this.v6.addValue(parsed.value.first, parsed.value.length, position);
  }

  overlaps(): { pairs: number[]; invalid: number[] } {
    const pairs = this.v4.overlaps();
    for (const p of this.v6.overlaps()) pairs.push(p);
    return { pairs, invalid: this.invalid };
  }
}

/** Every overlapping pair, IPv4 and IPv6, in address order; objects only for prefixes that overlap. */
export function findOverlaps<T>(items: readonly NamedPrefix<T>[]): OverlapResult<T> {
  const { pairs, invalid } = overlapIndexes(items.map((item) => item.prefix));
  const materialised = new Map<number, ParsedNamedPrefix<T>>();
  const entry = (i: number): ParsedNamedPrefix<T> => {
    let found = materialised.get(i);
    if (!found) {
      const item = items[i]!;
      found = { ...item, parsed: (parsePrefix(item.prefix) as { ok: true; value: Prefix }).value };
      materialised.set(i, found);
    }
    return found;
  };
  const overlaps: Overlap<T>[] = [];
  for (let k = 0; k < pairs.length; k += 2) overlaps.push(overlap(entry(pairs[k]!), entry(pairs[k + 1]!)));
  return { overlaps, invalid: invalid.map((i) => items[i]!) };
}

/** Overlaps among already-parsed prefixes (the validator parses once and sweeps many groups). */
export function findParsedOverlaps<T>(items: readonly ParsedNamedPrefix<T>[]): Overlap<T>[] {
  const v4 = new V4Columns(items.length);
  const v6 = new V6Columns(items.length);
  items.forEach((item, i) => (item.parsed.version === 4 ? v4.add(Number(item.parsed.first), item.parsed.length, i) : v6.addValue(item.parsed.first, item.parsed.length, i)));
  const overlaps: Overlap<T>[] = [];
  for (const pairs of [v4.overlaps(), v6.overlaps()]) for (let k = 0; k < pairs.length; k += 2) overlaps.push(overlap(items[pairs[k]!]!, items[pairs[k + 1]!]!));
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
export function parseV4Fast(text: string, from = 0, to = text.length): number {
  let value = 0;
  let i = from;
  for (let part = 0; part < 5; part++) {
    const start = i;
    let n = 0;
    for (let c = i < to ? text.charCodeAt(i) : -1; c >= 48 && c <= 57; c = ++i < to ? text.charCodeAt(i) : -1) n = n * 10 + c - 48;
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
    if (part < 4) {
      if (n > 255 || i >= to || text.charCodeAt(i) !== (part < 3 ? 46 : 47)) return -1; // '.' or '/'
      value = value * 256 + n;
      i++;
    } else {
      if (n > 32 || i !== to || value % 2 ** (32 - n) !== 0) return -1;
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

/** The value of a hexadecimal digit's character code, or -1. */
const hexDigit = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

/** Scratch for the eight 16-bit groups of one address (no allocation per prefix). */
const GROUPS = new Uint32Array(8);

/**
 * A strict IPv6 prefix in network form, straight from text into four 32-bit words at `words[at]`
 * (most significant first): returns its length, or -1 (then parsePrefix decides and explains).
 * The rules are the model parser's (RFC 4291 text: groups of one to four hex digits, at most one
 * `::` standing for one or more zero groups, no zone, a length from 0 to 128 without leading
 * zeros, no host bits set); an address with an IPv4 tail (`::ffff:10.0.0.0/104`) is left to the
 * model parser too. A property test holds the two to the same answers.
 */
export function parseV6Fast(text: string, words: Uint32Array, at: number, from = 0, to = text.length): number {
  const slash = text.lastIndexOf('/', to - 1);
  const digits = to - slash - 1;
  if (slash < from + 2 || digits < 1 || digits > 3 || (digits > 1 && text.charCodeAt(slash + 1) === 48)) return -1;
  let length = 0;
  for (let i = slash + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    length = length * 10 + c - 48;
  }
  if (length > 128) return -1;
  let count = 0;
  let gap = -1;
  let i = from;
  if (text.charCodeAt(from) === 58) {
    if (text.charCodeAt(from + 1) !== 58) return -1;
    gap = 0;
    i = from + 2;
  }
  while (i < slash) {
    let value = 0;
    let n = 0;
    for (let h = hexDigit(text.charCodeAt(i)); h >= 0 && i < slash; h = hexDigit(text.charCodeAt(++i))) {
      if (++n > 4) return -1;
      value = value * 16 + h;
    }
    if (n === 0 || count === 8) return -1;
    GROUPS[count++] = value;
    if (i === slash) break;
    if (text.charCodeAt(i) !== 58) return -1; // '.' (an IPv4 tail), '%' (a zone) or a mistake
    if (++i === slash) return -1; // a single trailing ':'
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return -1;
      gap = count;
      i++;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return -1;
  // Expand the gap and pack two groups per word.
  const zeros = 8 - count;
  for (let w = 0; w < 4; w++) {
    let word = 0;
    for (let g = w * 2; g < w * 2 + 2; g++) {
      const source = gap < 0 || g < gap ? g : g < gap + zeros ? -1 : g - zeros;
      word = word * 65536 + (source < 0 ? 0 : GROUPS[source]!);
    }
    // No host bits: the bits past the length are zero in this word.
    const network = Math.min(Math.max(length - w * 32, 0), 32);
    if (network < 32 && word % 2 ** (32 - network) !== 0) return -1;
    words[at + w] = word;
  }
  return length;
}

/**
 * IPv6 prefixes as columns: four 32-bit words of the first address, the length and the position,
 * sorted by an LSD radix sort on 16-bit digits (stable, so the position breaks ties) that skips
 * the digits every prefix shares; then the same sweep as IPv4 on 128-bit words. No BigInt and no
 * object per prefix.
 */
class V6Columns {
  private readonly words: Uint32Array;
  private readonly lengths: Uint8Array;
  private readonly positions: Uint32Array;
  private count = 0;

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 4);
    this.lengths = new Uint8Array(capacity);
    this.positions = new Uint32Array(capacity);
  }

  /** Parses and adds a strict IPv6 prefix; false when the text is for parsePrefix to judge. */
  addText(text: string, position: number, from = 0, to = text.length): boolean {
    const length = parseV6Fast(text, this.words, this.count * 4, from, to);
    if (length < 0) return false;
    this.lengths[this.count] = length;
    this.positions[this.count++] = position;
    return true;
  }

  addValue(first: bigint, length: number, position: number): void {
    const at = this.count * 4;
    for (let w = 0; w < 4; w++) this.words[at + w] = Number((first >> BigInt(96 - w * 32)) & 0xffffffffn);
    this.lengths[this.count] = length;
    this.positions[this.count++] = position;
  }

  /** Overlapping pairs as positions [outer, inner, ...], in address order. */
  overlaps(): number[] {
    const n = this.count;
    const pairs: number[] = [];
    if (n === 0) return pairs;
    const order = this.sorted();
    const words = this.words;
    const lengths = this.lengths;
    const positions = this.positions;
    // The stack: the last address (four words) and position of each enclosing prefix. Equal
    // prefixes nest in each other, so its depth is 129 plus the duplicates: plain arrays that grow.
    const stackLast: number[] = [];
    const stackPosition: number[] = [];
    let top = 0;
    for (let k = 0; k < n; k++) {
      const e = order[k]!;
      const at = e * 4;
      while (top > 0 && lastBefore(stackLast, (top - 1) * 4, words, at)) top--;
      const position = positions[e]!;
      for (let s = 0; s < top; s++) pairs.push(stackPosition[s]!, position);
      const mask = lengths[e]! * 4;
      for (let w = 0; w < 4; w++) stackLast[top * 4 + w] = words[at + w]! + HOST_MASK[mask + w]!;
      stackPosition[top++] = position;
    }
    return pairs;
  }

  /** (first address, length, position) order of two entries. */
  private compare(x: number, y: number): number {
    for (let w = 0; w < 4; w++) {
      const d = this.words[x * 4 + w]! - this.words[y * 4 + w]!;
      if (d !== 0) return d;
    }
    return this.lengths[x]! - this.lengths[y]! || this.positions[x]! - this.positions[y]!;
  }

  /** Entry indexes in (first address, length, position) order: stable LSD passes, least significant first. */
  private sorted(): Uint32Array {
    const n = this.count;
    let from = new Uint32Array(n);
    for (let i = 0; i < n; i++) from[i] = i;
    // A radix pass costs 65,536 steps whatever n: a few prefixes (the validator sweeps many small
    // groups) are sorted by comparing words instead.
    if (n < SMALL_SORT) return from.sort((x, y) => this.compare(x, y));
    let to = new Uint32Array(n);
    const digits = new Uint16Array(n);
    const counts = new Uint32Array(65537);
    const words = this.words;
    for (let pass = 0; pass < 9; pass++) {
      // Pass 0 sorts by length; then each 16-bit half of the words, last word first.
      if (pass === 0) for (let e = 0; e < n; e++) digits[e] = this.lengths[e]!;
      else {
        const w = 3 - ((pass - 1) >> 1);
        const high = (pass - 1) & 1;
        for (let e = 0; e < n; e++) digits[e] = high ? words[e * 4 + w]! >>> 16 : words[e * 4 + w]! & 0xffff;
      }
      counts.fill(0);
      for (let e = 0; e < n; e++) counts[digits[e]! + 1]!++;
      if (counts[digits[0]! + 1] === n) continue; // every prefix shares this digit
      for (let d = 1; d < 65537; d++) counts[d]! += counts[d - 1]!;
      for (let k = 0; k < n; k++) {
        const e = from[k]!;
        to[counts[digits[e]!]!++] = e;
      }
      [from, to] = [to, from];
    }
    return from;
  }
}

/** Below this many prefixes, a comparison sort beats the radix passes' fixed cost. */
const SMALL_SORT = 1024;

/** For each length 0..128 and word 0..3, the host bits of that word as a number (the word's last address = first + mask). */
const HOST_MASK = (() => {
  const masks = new Float64Array(129 * 4);
  for (let length = 0; length <= 128; length++) {
    for (let w = 0; w < 4; w++) {
      const network = Math.min(Math.max(length - w * 32, 0), 32);
      masks[length * 4 + w] = 2 ** (32 - network) - 1;
    }
  }
  return masks;
})();

/** Whether the last address at stack[s] is below the first address at words[at] (128-bit compare). */
function lastBefore(stack: readonly number[], s: number, words: Uint32Array, at: number): boolean {
  for (let w = 0; w < 4; w++) {
    const a = stack[s + w]!;
    const b = words[at + w]!;
    if (a !== b) return a < b;
  }
  return false;
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
