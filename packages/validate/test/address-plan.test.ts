import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrefix } from '@hybridnet/model';
import { findOverlaps, findOverlapsPairwise, overlapIndexes, overlapIndexesInLines } from '@hybridnet/validate';
import { parseV4Fast, parseV6Fast } from '../src/address-plan.ts';

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

describe('the IPv6 fast path', () => {
  /** Text an engineer might write, right or wrong: groups, compression, case, tails, zones, lengths. */
  const group = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)), fc.constantFrom('0', '00', '000', '0000', 'FFFF', 'fFfF', '10000', '', 'g', '1.2.3.4', '%eth0'));
  const address = fc.oneof(
    fc.array(group, { minLength: 0, maxLength: 9 }).map((g) => g.join(':')),
    fc.tuple(fc.array(group, { maxLength: 8 }), fc.array(group, { maxLength: 8 })).map(([a, b]) => `${a.join(':')}::${b.join(':')}`),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:./% '.split('')), maxLength: 45 }),
  );
  const length = fc.oneof(fc.integer({ min: 0, max: 130 }).map(String), fc.constantFrom('', '00', '064', '-1', '1e2', ' 64', '128 '));
  const text = fc.tuple(address, length, fc.constantFrom('/', '//', '')).map(([a, l, s]) => `${a}${s}${l}`);

  it('accepts and rejects exactly what the model parser does, with the same value', () => {
    fc.assert(
      fc.property(text, (t) => {
        const words = new Uint32Array(4);
        const fast = parseV6Fast(t, words, 0);
        const model = parsePrefix(t);
        const slash = t.indexOf('/');
        const tail = slash >= 0 && t.slice(0, slash).includes('.');
        if (fast >= 0) {
          // Whatever the fast path takes, the model takes, with the same range.
          expect(model.ok && model.value.version === 6).toBe(true);
          const first = words.reduce((v, w) => (v << 32n) | BigInt(w), 0n);
          expect(model.ok && [model.value.first, model.value.length]).toEqual([first, fast]);
        } else if (!tail) {
          // And it refuses nothing the model takes, except IPv4-tailed text, which it leaves to the model.
          expect(model.ok && model.value.version === 6).toBe(false);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('finds the same pairs as the pairwise reference on IPv6 plans with /48 to /64, /127 and /128', () => {
    const v6 = fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(48, 52, 56, 60, 63, 64, 127, 128)).map(([x, y, len]) => {
      const value = (BigInt(0x20010db8) << 96n) | (BigInt(x) << 72n) | (BigInt(y) << 64n) | BigInt(y & 1);
      const network = (value >> BigInt(128 - len)) << BigInt(128 - len);
      return `${network.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':')}/${len}`;
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(v6, fc.constant('2001:db8::/32'), fc.constant('::ffff:10.0.0.0/104')), { maxLength: 40 }), (plan) => {
        const reference = findOverlapsPairwise(plan.map((prefix, i) => ({ name: String(i), prefix })))
          .map(([a, b]) => [Number(a.name), Number(b.name)].sort((x, y) => x - y).join('-'))
          .sort();
        expect(pairsOf(plan)).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the radix sort of large IPv6 plans', () => {
  it('nests equal prefixes deeper than 129 (the sweep\'s stack grows with duplicates)', () => {
    const plan = [...Array<string>(200).fill('2001:db8::/64'), ...Array<string>(200).fill('10.0.0.0/24')];
    expect(overlapIndexes(plan).pairs.length / 2).toBe(2 * ((200 * 199) / 2));
  });

  it('finds the same pairs as the pairwise reference on 2,000 prefixes (past the comparison-sort size)', () => {
    let state = 7;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state >>> 8);
    const plan = Array.from({ length: 2000 }, () => {
      const length = [48, 56, 60, 64, 64, 64, 127, 128][next() % 8]!;
      const value = (0x20010db8n << 96n) | (BigInt(next() % 64) << 72n) | (BigInt(next() % 16) << 64n) | BigInt(next() % 4);
      const network = (value >> BigInt(128 - length)) << BigInt(128 - length);
      return `${network.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':')}/${length}`;
    });
    const reference = findOverlapsPairwise(plan.map((prefix, i) => ({ name: String(i), prefix })))
      .map(([a, b]) => [Number(a.name), Number(b.name)].sort((x, y) => x - y).join('-'))
      .sort();
    expect(reference.length).toBeGreaterThan(300);
    expect(pairsOf(plan)).toEqual(reference);
  }, 60_000);
});

describe('the IPv4 fast path', () => {
  it('accepts and rejects exactly what the model parser does, with the same value', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '010', '255', '256', '', 'a', ' 1', '1e1', '0x1'));
    const text = fc.oneof(
      fc.tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('', '00', '08', '-1')), fc.constantFrom('/', '//', '', '/ ')).map(([o, l, s]) => `${o.join('.')}${s}${l}`),
      fc.string({ unit: fc.constantFrom(...'0123456789./ :'.split('')), maxLength: 20 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const fast = parseV4Fast(t);
        const model = parsePrefix(t);
        const accepted = model.ok && model.value.version === 4;
        expect(fast >= 0).toBe(accepted);
        if (fast >= 0 && model.ok) expect([Math.floor(fast / 64), fast % 64]).toEqual([Number(model.value.first), model.value.length]);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('a plan as one text', () => {
  it('gives the same pairs and invalid lines as the prefixes one by one', () => {
    const prefix = fc.oneof(fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '2001:db8::/32', '2001:db8:1::/48', '::ffff:10.0.0.0/104', '10.0.0.5/24', 'x', ''), fc.ipV4().map((ip) => `${ip}/32`), fc.ipV6().map((ip) => `${ip}/128`));
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 30 }), fc.boolean(), (plan, trailing) => {
        const text = plan.join('\n') + (trailing && plan.length > 0 ? '\n' : '');
        // A final line end ends the last line; an empty text has no lines.
        const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
        expect(overlapIndexesInLines(text)).toEqual(overlapIndexes(lines));
      }),
      { numRuns: 1000 },
    );
  });
});
