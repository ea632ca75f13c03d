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
import { Address4, Address6 } from 'ip-address';

export type IpVersion = 4 | 6;

/** A parsed prefix: the canonical text and the inclusive address range as bigints. */
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

function parseAddress(text: string): Address4 | Address6 | undefined {
  if (text.includes('%')) return undefined; // zone ids are link-local only, never in a plan
  try {
    return text.includes(':') ? new Address6(text) : new Address4(text);
  } catch {
    return undefined;
  }
}

/** Parses `a.b.c.d/len` or an IPv6 prefix; host bits set is an error, not a silent fix. */
export function parsePrefix(text: string): ParseResult<Prefix> {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return fail('invalid-cidr', `"${text}" has no prefix length`, `write it as ${text}/32 for one host, or the network with its length`);
  }
  const lengthText = text.slice(slash + 1);
  const address = parseAddress(text);
  if (!address || !/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) {
    return fail('invalid-cidr', `"${text}" is not a valid CIDR prefix`, 'use dotted decimal without leading zeros (10.1.0.0/16) or IPv6 (2001:db8::/48)');
  }
  const version: IpVersion = address instanceof Address6 ? 6 : 4;
  const length = Number(lengthText);
  const first = address.startAddress().bigInt();
  const given = (version === 6 ? new Address6(text.slice(0, slash)) : new Address4(text.slice(0, slash))).bigInt();
  if (given !== first) {
    const network = `${formatAddress(first, version)}/${length}`;
    return fail('cidr-host-bits', `"${text}" has host bits set`, `the network is ${network}; write ${network}, or use /${BITS[version]} for a single host`);
  }
  const last = first + (1n << BigInt(BITS[version] - length)) - 1n;
  return { ok: true, value: { text: `${formatAddress(first, version)}/${length}`, version, length, first, last } };
}

/** Parses a single IPv4 or IPv6 address (no prefix length). */
export function parseIp(text: string): ParseResult<{ text: string; version: IpVersion; value: bigint }> {
  const address = text.includes('/') ? undefined : parseAddress(text);
  if (!address) {
    return fail('invalid-ip', `"${text}" is not a valid IP address`, 'use dotted decimal without leading zeros (10.1.0.4) or IPv6 text');
  }
  const version: IpVersion = address instanceof Address6 ? 6 : 4;
  return { ok: true, value: { text: address.correctForm(), version, value: address.bigInt() } };
}

export function formatAddress(value: bigint, version: IpVersion): string {
  return version === 4 ? Address4.fromBigInt(value).correctForm() : Address6.fromBigInt(value).correctForm();
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
