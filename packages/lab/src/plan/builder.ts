/**
 * Building a lab plan: nodes, links and the lab's own addresses. Links between nodes take a /31
 * from a range no part of the topology uses; public addresses (gateway instances, tunnel ends,
 * the app's and the firewall's way out) come from another such range. Interface names are short
 * (`e<n>` per node) because Linux allows fifteen characters.
 */
import { contains, parsePrefix, type Prefix } from '@hybridnet/model';
import type { LabLink, LabNode, LabRole } from '../ir.ts';

/** Ranges the lab may take its own addresses from, in order; the first ones no topology prefix touches are used. */
const LAB_RANGES = ['100.127.0.0/16', '198.19.0.0/16', '100.126.0.0/16', '198.18.0.0/16', '100.125.0.0/16', '192.0.0.0/24'];

export interface Allocators {
  /** A /31 for a point-to-point link: the two addresses. */
  link(): [string, string];
  /** One public address of the lab (a tunnel end, a gateway instance, an app's way out). */
  public(): string;
}

function text(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Allocators over two ranges that overlap nothing in `used` (every IPv4 prefix the topology names). */
export function allocators(used: readonly string[]): Allocators | { conflict: string } {
  const taken = used.map((t) => parsePrefix(t.includes('/') ? t : `${t}/32`)).flatMap((p) => (p.ok && p.value.version === 4 ? [p.value] : []));
  const free = LAB_RANGES.map((t) => (parsePrefix(t) as { ok: true; value: Prefix }).value).filter((r) => !taken.some((p) => contains(p, r) || contains(r, p)));
  if (free.length < 2) return { conflict: `the topology uses every range the lab takes its own addresses from (${LAB_RANGES.join(', ')})` };
  let link = Number(free[0]!.first);
  let pub = Number(free[1]!.first) + 1;
  const linkEnd = Number(free[0]!.last);
  const pubEnd = Number(free[1]!.last);
  return {
    link() {
      if (link + 1 > linkEnd) throw new Error('lab link range exhausted');
      const pair: [string, string] = [text(link), text(link + 1)];
      link += 2;
      return pair;
    },
    public() {
      if (pub > pubEnd) throw new Error('lab public range exhausted');
      return text(pub++);
    },
  };
}

/** A free address inside `prefix` from its `start`-th on, not in `used` (which it then holds). */
export function freeAddress(prefix: string, used: Set<string>, start: number): string | undefined {
  const p = parsePrefix(prefix);
  if (!p.ok || p.value.version !== 4) return undefined;
  const first = Number(p.value.first);
  const last = Number(p.value.last);
  for (let v = first + start; v < last; v++) {
    const candidate = text(v);
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
  return undefined;
}

export class PlanBuilder {
  readonly nodes = new Map<string, LabNode>();
  readonly links: LabLink[] = [];
  private readonly ifCount = new Map<string, number>();

  constructor(readonly alloc: Allocators) {}

  node(id: string, role: LabRole, label: string, forwarding: boolean): LabNode {
    if (this.nodes.has(id)) throw new Error(`lab node ${id} planned twice`);
    const node: LabNode = { id, role, label, forwarding, loopback: [], bridges: [], routes: [], rules: [], nft: null, ike: null, frr: null, listen: [] };
    this.nodes.set(id, node);
    return node;
  }

  get(id: string): LabNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no lab node ${id}`);
    return node;
  }

  ifname(node: string): string {
    const n = this.ifCount.get(node) ?? 0;
    this.ifCount.set(node, n + 1);
    return `e${n}`;
  }

  /** A point-to-point link with a /31 of the lab's (or the addresses given); returns each end's interface and address. */
  p2p(a: string, b: string, addresses?: { a: string[]; b: string[] }): { aIf: string; bIf: string; aIp: string; bIp: string } {
    const [aIp, bIp] = addresses ? [addresses.a[0]!.split('/')[0]!, addresses.b[0]!.split('/')[0]!] : this.alloc.link();
    const aIf = this.ifname(a);
    const bIf = this.ifname(b);
    this.links.push({ a: { node: a, ifname: aIf, addresses: addresses?.a ?? [`${aIp}/31`] }, b: { node: b, ifname: bIf, addresses: addresses?.b ?? [`${bIp}/31`] } });
    return { aIf, bIf, aIp, bIp };
  }

  /** A member joining a bridge of another node; the member's interface gets `addresses`. */
  attach(bridgeNode: string, bridge: string, member: string, addresses: string[]): { memberIf: string; portIf: string } {
    const portIf = this.ifname(bridgeNode);
    const memberIf = this.ifname(member);
    this.links.push({ a: { node: bridgeNode, ifname: portIf, addresses: [], bridge }, b: { node: member, ifname: memberIf, addresses } });
    return { memberIf, portIf };
  }
}
