/**
 * Address space with a fixed meaning, in one table that the model's defaults and the validator's
 * rules both read. Sources: RFC 1918 (private IPv4), RFC 6598 (shared address space, carrier-grade
 * NAT), RFC 4193 (unique local IPv6).
 */
export const RFC1918_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** Space that never leaves for the Internet: RFC 1918, RFC 6598 shared space, unique local IPv6. */
export const NON_PUBLIC_RANGES: readonly string[] = [...RFC1918_RANGES, '100.64.0.0/10', 'fc00::/7'];
