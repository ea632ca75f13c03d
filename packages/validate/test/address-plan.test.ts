import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOverlaps, findOverlapsPairwise } from '@hybridnet/validate';

const pairsOf = (plan: string[]): string[] => {
  const items = plan.map((prefix, i) => ({ name: String(i), prefix }));
  return findOverlaps(items)
    .overlaps.map((o) => [Number(o.a.name), Number(o.b.name)].sort((x, y) => x - y).join('-'))
    .sort();
};

/** Random prefixes packed into a small space so plans overlap often. */
function randomPlans(seed: number, count: number, version: 4 | 6): string[][] {
  let state = seed >>> 0;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state >>> 8); // drop the LCG's short-period low bits
  return Array.from({ length: count }, () =>
    Array.from({ length: 2 + (next() % 30) }, () => {
      if (version === 4) {
        const length = 16 + (next() % 13);
        const address = ((10 << 24) | (next() & 0xffff)) >>> 0;
        const network = ((address >>> (32 - length)) << (32 - length)) >>> 0;
        return `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${length}`;
      }
      const length = 48 + (next() % 17);
      const bits = BigInt(next() & 0xffff);
      const group = (bits >> BigInt(64 - length)) << BigInt(64 - length);
      return `2001:db8:0:${group.toString(16)}::/${length}`;
    }),
  );
}

const python = spawnSync('python3', ['-c', 'import ipaddress'], { encoding: 'utf8' });
const hasPython = python.status === 0;

describe('findOverlaps', () => {
  it('finds containment and equality, not neighbours', () => {
    const result = findOverlaps([
      { name: 'hub', prefix: '10.0.0.0/16' },
      { name: 'gateway', prefix: '10.0.255.0/27' },
      { name: 'same', prefix: '10.0.0.0/16' },
      { name: 'next', prefix: '10.1.0.0/16' },
      { name: 'v6', prefix: '2001:db8::/48' },
      { name: 'v6-in', prefix: '2001:db8:0:1::/64' },
      { name: 'bad', prefix: '10.0.0.300/24' },
    ]);
    expect(result.overlaps.map((o) => `${o.a.name}>${o.b.name}:${o.relation}`).sort()).toEqual(['hub>gateway:contains', 'hub>same:equal', 'same>gateway:contains', 'v6>v6-in:contains']);
    expect(result.invalid.map((i) => i.name)).toEqual(['bad']);
  });

  it('keeps IPv4 and IPv6 apart (::/0 does not overlap 0.0.0.0/0)', () => {
    expect(findOverlaps([{ name: 'a', prefix: '0.0.0.0/0' }, { name: 'b', prefix: '::/0' }]).overlaps).toEqual([]);
  });

  it('agrees with the pairwise reference on random plans', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 16, max: 32 })).map(([x, len]) => {
      const value = ((10 << 24) | (x << 8)) >>> 0;
      const masked = len === 32 ? value : ((value >>> (32 - len)) << (32 - len)) >>> 0;
      return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
    });
    fc.assert(
      fc.property(fc.array(v4, { maxLength: 40 }), (plan) => {
        const reference = findOverlapsPairwise(plan.map((prefix, i) => ({ name: String(i), prefix })))
          .map(([a, b]) => [Number(a.name), Number(b.name)].sort((x, y) => x - y).join('-'))
          .sort();
        expect(pairsOf(plan)).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it.skipIf(!hasPython)('agrees with Python ipaddress on 3,000 IPv4 and 3,000 IPv6 plans', () => {
    const plans = [...randomPlans(1, 3000, 4), ...randomPlans(2, 3000, 6)];
    const oracle = spawnSync('python3', [new URL('./oracle.py', import.meta.url).pathname], { input: JSON.stringify(plans), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(oracle.status, oracle.stderr).toBe(0);
    const expected = (JSON.parse(oracle.stdout) as number[][][]).map((pairs) => pairs.map((p) => p.join('-')).sort());
    let overlapping = 0;
    const mismatches: string[] = [];
    plans.forEach((plan, i) => {
      const ours = pairsOf(plan);
      if (ours.join() !== expected[i]!.join()) mismatches.push(`plan ${i} (${plan.join(' ')}): ours ${ours.join(' ')}, Python ${expected[i]!.join(' ')}`);
      overlapping += ours.length;
    });
    expect(mismatches).toEqual([]);
    expect(overlapping).toBeGreaterThan(10_000); // the plans really do overlap
  });

  it.runIf(!hasPython)('says why the Python oracle was skipped', () => {
    console.warn('skipped the Python ipaddress oracle: python3 is not available on this machine');
  });
});

describe('where an overlap is reported', () => {
  it('on the later of the two in the file, whichever is the larger range', async () => {
    const { findOverlapGroups } = await import('../src/address-plan.ts');
    const { parsePrefix } = await import('@hybridnet/model');
    const item = (name: string, prefix: string) => ({ name, prefix, parsed: (parsePrefix(prefix) as { ok: true; value: import('@hybridnet/model').Prefix }).value });
    const found = findOverlapGroups([item('small', '10.0.1.0/25'), item('added-later', '10.0.1.0/24')]);
    expect(found.nested.map((o) => `${o.a.name} < ${o.b.name}`)).toEqual(['small < added-later']);
  });
});
