/**
 * Strict parsing of IP addresses and prefixes.
 *
 * Network engineers write `10.1.0.0/16`; tools that are lenient about it cause real outages
 * (`010.1.0.0` read as octal, `10.0.0.5/24` silently widened). Here a prefix must be in canonical
 * network form: dotted decimal without leading zeros (IPv4) or RFC 4291 text without a zone
 * (IPv6), an explicit length, and no host bits set. Parsing is done by `ip-address`, which
 * already rejects leading zeros and inet_aton forms; this module adds the rest and returns
 * numeric ranges that the validator sorts and sweeps.
 */
import { isIPv6 } from 'node:net';
import { Address6 } from 'ip-address';

export type IpVersion = 4 | 6;

/** A parsed prefix: the text as written and the inclusive address range as bigints. */
export interface Prefix {
  readonly text: string;
  readonly version: IpVersion;
  readonly length: number;
  readonly first: bigint;
  readonly last: bigint;
}

export interface ParseProblem {
  readonly code: 'invalid-cidr' | 'cidr-host-bits' | 'invalid-ip';
  readonly message: string;
  readonly hint?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: ParseProblem };

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const LENGTH = /^(0|[1-9][0-9]{0,2})$/;

/**
 * The address as a bigint, or undefined when it is not strict text. IPv4 and plain IPv6 take a
 * fast path (the validator parses a million prefixes); IPv6 with an embedded IPv4 tail goes
 * through ip-address.
 */
function addressValue(text: string): { version: IpVersion; value: bigint } | undefined {
  const v4 = IPV4.exec(text);
  if (v4) return { version: 4, value: BigInt(((+v4[1]! << 24) >>> 0) + (+v4[2]! << 16) + (+v4[3]! << 8) + +v4[4]!) };
  if (!text.includes(':') || text.includes('%') || !isIPv6(text)) return undefined;
  if (text.includes('.')) {
    try {
      return { version: 6, value: new Address6(text).bigInt() };
    } catch {
      return undefined;
    }
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return { version: 6, value: BigInt(`0x${groups.map((g) => g.padStart(4, '0')).join('')}`) };
}

/** Parses `a.b.c.d/len` or an IPv6 prefix; host bits set is an error, not a silent fix. */
export function parsePrefix(text: string): ParseResult<Prefix> {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return fail('invalid-cidr', `"${text}" has no prefix length`, `write it as ${text}/32 for one host, or the network with its length`);
  }
  const lengthText = text.slice(slash + 1);
  const address = addressValue(text.slice(0, slash));
  const length = Number(lengthText);
  if (!address || !LENGTH.test(lengthText) || length > BITS[address.version]) {
    return fail('invalid-cidr', `"${text}" is not a valid CIDR prefix`, 'use dotted decimal without leading zeros (10.1.0.0/16) or IPv6 (2001:db8::/48)');
  }
  const { version, value } = address;
  const hostBits = BigInt(BITS[version] - length);
  const first = (value >> hostBits) << hostBits;
  if (value !== first) {
    const network = `${formatAddress(first, version)}/${length}`;
    return fail('cidr-host-bits', `"${text}" has host bits set`, `the network is ${network}; write ${network}, or use /${BITS[version]} for a single host`);
  }
  return { ok: true, value: { text, version, length, first, last: first + (1n << hostBits) - 1n } };
}

/** Parses a single IPv4 or IPv6 address (no prefix length). */
export function parseIp(text: string): ParseResult<{ text: string; version: IpVersion; value: bigint }> {
  const address = text.includes('/') ? undefined : addressValue(text);
  if (!address) {
    return fail('invalid-ip', `"${text}" is not a valid IP address`, 'use dotted decimal without leading zeros (10.1.0.4) or IPv6 text');
  }
  return { ok: true, value: { text, ...address } };
}

/** The canonical text of a prefix (lowercase, RFC 5952 compression for IPv6). */
export function canonicalPrefix(prefix: Prefix): string {
  return `${formatAddress(prefix.first, prefix.version)}/${prefix.length}`;
}

export function formatAddress(value: bigint, version: IpVersion): string {
  if (version === 4) {
    // Dotted decimal directly: the data plane names millions of addresses, and this is what Address4 prints.
    const n = Number(value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  return Address6.fromBigInt(value).correctForm();
}

/** True when `inner` lies wholly inside `outer` (same IP version). */
export function contains(outer: Prefix, inner: Prefix): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when an address lies inside a prefix. */
export function containsAddress(outer: Prefix, address: bigint, version: IpVersion): boolean {
  return outer.version === version && outer.first <= address && address <= outer.last;
}

function fail<T>(code: ParseProblem['code'], message: string, hint: string): ParseResult<T> {
  return { ok: false, problem: { code, message, hint } };
}
