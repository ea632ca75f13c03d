/**
 * One overlap benchmark run, in its own process so its peak memory is its own:
 *
 *   node --import tsx packages/validate/bench/overlaps.ts <prefixes> <engine|pairwise>
 *
 * The plan: 90 % IPv4 /28 blocks of 10.0.0.0/8 in shuffled order, 10 % IPv6 /64s of
 * 2001:db8::/32, with mistakes: every 100th IPv4 entry repeats an earlier prefix, and every
 * 1000th is the /24 around its block (which then contains about 14 others). Overlaps found are
 * reported; finding them costs one step each on top of the sort.
 * Prints one JSON line: prefixes, method, milliseconds (parse + find), overlaps, peak RSS in MiB.
 */
import { findOverlaps, findOverlapsPairwise, type NamedPrefix } from '@hybridnet/validate';

const n = Number(process.argv[2]);
const method = process.argv[3] === 'pairwise' ? 'pairwise' : 'engine';

let state = 42;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state);
const v4Count = Math.floor(n * 0.9);
const blocks = Uint32Array.from({ length: 1 << 20 }, (_, i) => i);
for (let i = blocks.length - 1; i > 0; i--) {
  const j = random() % (i + 1);
  [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
}
const ipv4 = (value: number, length: number) => `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}/${length}`;
const plan: NamedPrefix[] = [];
for (let i = 0; i < n; i++) {
  let prefix: string;
  if (i < v4Count) {
    const value = ((10 << 24) | (blocks[i % blocks.length]! << 4)) >>> 0;
    prefix = i % 1000 === 999 ? ipv4((value >>> 8) << 8, 24) : i % 100 === 99 ? plan[i - 50]!.prefix : ipv4(value, 28);
  } else {
    prefix = `2001:db8:${(random() >>> 16).toString(16)}:${(random() >>> 16).toString(16)}::/64`; // high bits: an LCG's low bits repeat quickly
  }
  plan.push({ name: `p${i}`, prefix });
}

(globalThis as { gc?: () => void }).gc?.(); // the plan's own garbage is not the engine's
const start = performance.now();
const overlaps = method === 'engine' ? findOverlaps(plan).overlaps.length : findOverlapsPairwise(plan).length;
const ms = performance.now() - start;
console.log(JSON.stringify({ prefixes: n, method, ms: Math.round(ms), overlaps, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
