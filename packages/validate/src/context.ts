/**
 * What every rule receives: the linked topology, its name index, a prefix cache and `report`,
 * which stamps the code's catalogue severity on each diagnostic.
 */
import { contains, parseIp, parsePrefix, RFC1918_RANGES, type Diagnostic, type ModelPath, type Prefix, type Topology, type TopologyIndex } from '@hybridnet/model';
import { VALIDATE_CODES, type ValidateCode } from './codes.ts';

export interface Context {
  readonly topology: Topology;
  readonly index: TopologyIndex;
  readonly diagnostics: Diagnostic[];
  report(code: ValidateCode, path: ModelPath, message: string, hint: string): void;
  /** The parsed prefix; the loader has already rejected anything that does not parse. */
  prefix(text: string): Prefix;
  /** A single address as a /32 or /128 prefix. */
  address(text: string): Prefix;
}

export function createContext(topology: Topology, index: TopologyIndex): Context {
  const cache = new Map<string, Prefix>();
  const diagnostics: Diagnostic[] = [];
  const prefix = (text: string): Prefix => {
    let parsed = cache.get(text);
    if (!parsed) {
      const result = parsePrefix(text);
      if (!result.ok) throw new Error(`unparsed prefix reached the validator: ${text}`);
      parsed = result.value;
      cache.set(text, parsed);
    }
    return parsed;
  };
  return {
    topology,
    index,
    diagnostics,
    report: (code, path, message, hint) => diagnostics.push({ code, severity: VALIDATE_CODES[code].severity, message, hint, path }),
    prefix,
    address: (text) => {
      const ip = parseIp(text);
      if (!ip.ok) throw new Error(`unparsed address reached the validator: ${text}`);
      return prefix(`${ip.value.text}/${ip.value.version === 4 ? 32 : 128}`);
    },
  };
}

/** True when `inner` lies inside one of `outers`. */
export function coveredBy(ctx: Context, inner: string, outers: readonly string[]): boolean {
  const p = ctx.prefix(inner);
  return outers.some((o) => contains(ctx.prefix(o), p));
}

export function intersects(a: Prefix, b: Prefix): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** RFC 1918 space (the model's table). */
export const RFC1918: readonly string[] = RFC1918_RANGES;
