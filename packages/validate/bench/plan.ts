/**
 * Writes an address plan for the overlap benchmarks: one prefix per line (the line number is its
 * name), deterministic for a mix and a size.
 *
 *   node --import tsx packages/validate/bench/plan.ts <v4|half|v6> <prefixes> <file>
 *
 * Mixes: v4 is IPv4 only, half is 50 % IPv4 and 50 % IPv6, v6 is 90 % IPv6 (one /64 per subnet, as
 * a large estate carves them). Lengths: IPv4 /16 to /30 (mostly /25 to /30), IPv6 /48 to /64 (mostly
 * /64) with one in a hundred a /127 or /128. Each prefix is allocated after the last, aligned, so
 * the overlaps are the mistakes: every 100th prefix repeats one 50 lines earlier, and every 1000th
 * is the /24 (IPv4) or /56 (IPv6) around the prefix before it. Lines are shuffled.
 */
import { writeFileSync } from 'node:fs';
import { parsePrefix } from '@hybridnet/model';

export type Mix = 'v4' | 'half' | 'v6';
export const MIXES: Record<Mix, { readonly v6Share: number; readonly label: string }> = {
  v4: { v6Share: 0, label: 'IPv4 only' },
  half: { v6Share: 0.5, label: '50 % IPv4, 50 % IPv6' },
  v6: { v6Share: 0.9, label: '90 % IPv6' },
};

export function writePlan(mix: Mix, n: number, file: string): void {
  let state = 42;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state >>> 8); // drop the LCG's short-period low bits
  // An address plan as an allocator makes one: each prefix in its own aligned block after the
  // last, so overlaps are the mistakes below, not an accident of random placement.
  let next4 = 1n << 24n; // from 1.0.0.0
  let next6 = 0x20010db8n << 96n; // from 2001:db8::
  const take = (cursor: bigint, bits: number, length: number): [bigint, bigint] => {
    const size = 1n << BigInt(bits - length);
    const first = ((cursor + size - 1n) / size) * size;
    return [first, first + size];
  };
  const v4 = (first: bigint, length: number) => `${[24n, 16n, 8n, 0n].map((s) => String((first >> s) & 255n)).join('.')}/${length}`;
  // RFC 5952 text: leading zeros dropped, the longest run of zero groups as ::.
  const v6 = (first: bigint, length: number) => {
    const groups = first.toString(16).padStart(32, '0').match(/.{4}/g)!.map((g) => g.replace(/^0{1,3}/, ''));
    const text = `:${groups.join(':')}:`;
    const run = [...text.matchAll(/:(?:0:){2,}/g)].sort((a, b) => b[0].length - a[0].length)[0];
    const compressed = run ? `${text.slice(0, run.index)}::${text.slice(run.index! + run[0].length)}` : text;
    return `${compressed.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '')}/${length}`;
  };
  // IPv4 lengths as plans have them: mostly small subnets, a few large ranges.
  const v4Length = () => {
    const roll = random() % 100;
    return roll === 0 ? 16 + (random() % 5) : roll < 20 ? 21 + (random() % 4) : 25 + (random() % 6);
  };
  const v6Length = () => {
    const roll = random() % 100;
    return roll === 0 ? 127 + (random() % 2) : roll < 80 ? 64 : 48 + (random() % 17);
  };
  const lines: string[] = [];
  const share = MIXES[mix].v6Share;
  for (let i = 0; i < n; i++) {
    if (i % 100 === 99) {
      lines.push(lines[i - 50]!); // the same range twice
      continue;
    }
    const isV6 = random() % 1000 < share * 1000;
    if (i % 1000 === 998) {
      // The range around the last prefix of its family: /24 or /56, containing its neighbours.
      const last = [...lines].reverse().find((l) => l.includes(':') === isV6);
      const parsed = last ? parsePrefix(last) : undefined;
      if (parsed?.ok) {
        const wide = isV6 ? 56 : 24;
        if (parsed.value.length > wide) {
          const bits = isV6 ? 128 : 32;
          const first = (parsed.value.first >> BigInt(bits - wide)) << BigInt(bits - wide);
          lines.push(isV6 ? v6(first, wide) : v4(first, wide));
          continue;
        }
      }
    }
    if (isV6) {
      const length = v6Length();
      const [first, end] = take(next6, 128, length >= 127 ? 64 : length);
      next6 = end;
      lines.push(v6(first, length));
    } else {
      const length = v4Length();
      const [first, end] = take(next4, 32, length);
      next4 = end;
      lines.push(v4(first, length));
    }
  }
  // Written in shuffled order: a plan is not sorted.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = random() % (i + 1);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

if (process.argv[1]?.endsWith('plan.ts')) {
  const [mix, n, file] = process.argv.slice(2) as [Mix, string, string];
  writePlan(mix, Number(n), file);
}
