import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPrefix, contains, formatAddress, parseIp, parsePrefix } from '@hybridnet/model';

describe('parsePrefix', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['203.0.113.7/32', '203.0.113.7/32'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:0DB8:0000::/48', '2001:db8::/48'],
    ['::/0', '::/0'],
    ['::ffff:10.0.0.0/104', '::ffff:a00:0/104'],
  ])('accepts %s as %s', (text, canonical) => {
    const result = parsePrefix(text);
    expect(result.ok && canonicalPrefix(result.value)).toBe(canonical);
  });

  it.each([
    ['10.0.0.300/24', 'invalid-cidr'],
    ['10.1.0.0/33', 'invalid-cidr'],
    ['010.1.0.0/16', 'invalid-cidr'],
    ['10.0.0.0/024', 'invalid-cidr'],
    ['10.0.0.0/', 'invalid-cidr'],
    ['10.0.0.0', 'invalid-cidr'],
    ['10.0/16', 'invalid-cidr'],
    ['0x0a.0.0.0/8', 'invalid-cidr'],
    [' 10.0.0.0/8', 'invalid-cidr'],
    ['fe80::%eth0/64', 'invalid-cidr'],
    ['2001:db8::/129', 'invalid-cidr'],
    ['10.0.0.5/24', 'cidr-host-bits'],
    ['2001:db8::1/64', 'cidr-host-bits'],
    ['2001:db8:::/48', 'invalid-cidr'],
    ['2001:db8:12345::/48', 'invalid-cidr'],
    ['::ffff:10.0.0.256/104', 'invalid-cidr'],
  ])('rejects %s (%s)', (text, code) => {
    const result = parsePrefix(text);
    expect(result.ok ? 'ok' : result.problem.code).toBe(code);
  });

  it('agrees with plain arithmetic on random IPv4 prefixes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (address, length) => {
        const text = `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}/${length}`;
        const size = 2 ** (32 - length);
        const network = Math.floor(address / size) * size;
        const result = parsePrefix(text);
        if (network !== address) return !result.ok && result.problem.code === 'cidr-host-bits';
        return result.ok && result.value.first === BigInt(network) && result.value.last === BigInt(network + size - 1);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with plain arithmetic on random IPv6 prefixes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), (address, length) => {
        const groups = Array.from({ length: 8 }, (_, i) => ((address >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
        const size = 1n << BigInt(128 - length);
        const network = (address / size) * size;
        const result = parsePrefix(`${groups.join(':')}/${length}`);
        if (network !== address) return !result.ok && result.problem.code === 'cidr-host-bits';
        return result.ok && result.value.first === network && result.value.last === network + size - 1n;
      }),
      { numRuns: 2000 },
    );
  });

  it('tells containment', () => {
    const outer = parsePrefix('10.0.0.0/16');
    const inner = parsePrefix('10.0.255.0/27');
    const other = parsePrefix('10.1.0.0/24');
    if (!outer.ok || !inner.ok || !other.ok) throw new Error('fixture');
    expect(contains(outer.value, inner.value)).toBe(true);
    expect(contains(outer.value, other.value)).toBe(false);
    expect(contains(inner.value, outer.value)).toBe(false);
  });
});

describe('parseIp', () => {
  it.each(['10.1.0.4', '169.254.21.1', '2001:db8::1'])('accepts %s', (text) => expect(parseIp(text).ok).toBe(true));
  it.each(['10.1.0.256', '10.01.0.4', '10.1.0.4/32', '10.1.4', 'localhost', ''])('rejects %s', (text) => expect(parseIp(text).ok).toBe(false));
});

describe('formatAddress', () => {
  it('prints an IPv4 address exactly as ip-address does, for any value', async () => {
    const { Address4 } = await import('ip-address');
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => formatAddress(BigInt(n), 4) === Address4.fromBigInt(BigInt(n)).correctForm()), { numRuns: 3000 });
    for (const n of [0, 1, 255, 256, 2 ** 31, 2 ** 32 - 1]) expect(formatAddress(BigInt(n), 4)).toBe(Address4.fromBigInt(BigInt(n)).correctForm());
  });
});
