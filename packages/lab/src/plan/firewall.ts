/**
 * Each Barracuda CloudGen Firewall as a host on its subnet that forwards by nftables, its ruleset
 * translated from the REST payloads the generator writes (network objects, then forwarding rules in
 * their order): first match wins, a pass with "Dynamic SNAT" translates the source to the NIC's
 * address, anything no rule passes is dropped, and a reply passes only as part of a session the
 * firewall holds (conntrack). Reading the generated payloads rather than the topology makes the lab
 * a check of the artefact.
 *
 *   ip saddr { 10.10.0.0/16, 172.16.201.0/24 } ip daddr { 203.0.113.0/24 } tcp dport 443 ct mark set 1 accept
 */
import { toFirewalls, type CgfAddress, type CgfEntry, type CgfNetworkObject, type CgfRule } from '@hybridnet/gen-barracuda';
import { FIREWALL_BUILTIN_RANGES, FIREWALL_SERVICES, NON_PUBLIC_RANGES } from '@hybridnet/model';
import type { PlanContext } from './context.ts';

/** What an address of a rule covers: everything, the public Internet, or prefixes (minus exclusions). */
interface Match {
  readonly any: boolean;
  readonly internet: boolean;
  readonly included: string[];
  readonly excluded: string[];
}

export function planFirewalls(ctx: PlanContext): void {
  const { firewalls } = toFirewalls(ctx.topology, ctx.index);
  ctx.topology.azure.firewalls.forEach((fw, f) => {
    const seg = ctx.segments.get(`subnet:${fw.vnet}/${fw.subnet}`);
    const cgf = firewalls.find((x) => x.name === fw.name);
    if (!seg || !cgf) return;
    const id = `f${f}`;
    const node = ctx.b.node(id, 'firewall', `firewall ${fw.name}`, true);
    ctx.used.add(fw.privateIp);
    const { memberIf } = ctx.b.attach(seg.bridgeNode, seg.bridge, id, [`${fw.privateIp}/${seg.prefixes[0]!.split('/')[1]}`]);
    node.routes.push({ prefix: '0.0.0.0/0', via: [seg.gateway], dev: memberIf });
    if (fw.publicIp) ctx.publicIps.set(`firewall:${fw.name}`, ctx.b.alloc.public());
    ctx.firewalls.set(fw.name, { node: id, address: fw.privateIp });
    const objects = new Map(cgf.steps.filter((s) => s.collection === 'objects/networks').map((s) => [s.name, s.payload as CgfNetworkObject]));
    const rules = cgf.steps.filter((s) => s.collection === 'rules').map((s) => s.payload as CgfRule);
    const lines: string[] = [];
    rules.forEach((rule, r) => {
      const source = resolve(rule.source, objects);
      const destination = resolve(rule.destination, objects);
      const services = rule.service && 'references' in rule.service ? [rule.service.references] : rule.service.explicit.entries.map((e) => e.references);
      const unknown = [...source.unknown, ...destination.unknown, ...services.filter((s) => FIREWALL_SERVICES[s] === undefined).map((s) => `service ${s}`)];
      if (unknown.length > 0) {
        ctx.gaps.push({ path: ['azure', 'firewalls', f, 'rules', r], message: `rule "${rule.name}" of firewall "${fw.name}" names ${unknown.join(', ')}, which the lab does not know` });
        return;
      }
      const action = rule.action.type === 'pass' ? `${rule.action.connection.references === 'Dynamic SNAT' ? 'ct mark set 1 ' : ''}accept` : rule.action.type === 'block' ? 'drop' : 'reject';
      for (const service of serviceMatches(services)) lines.push(`    ${[...matchText('saddr', source.match), ...matchText('daddr', destination.match), service].filter(Boolean).join(' ')} counter ${action} comment ${quote(rule.name)}`);
    });
    node.nft = [
      'table inet firewall {',
      '  chain forward {',
      '    type filter hook forward priority filter; policy drop;',
      '    ct state established,related accept',
      '    ct state invalid counter drop comment "not part of a session this firewall holds"',
      ...lines,
      '    counter drop comment "no rule passes it"',
      '  }',
      '  chain postrouting {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      '    ct mark 1 masquerade comment "Dynamic SNAT"',
      '  }',
      '}',
      '',
    ].join('\n');
  });
}

function quote(text: string): string {
  return `"${text.replace(/[^\w .:/-]/g, '_')}"`;
}

function resolve(address: CgfAddress, objects: ReadonlyMap<string, CgfNetworkObject>): { match: Match; unknown: string[] } {
  const unknown: string[] = [];
  const match: Match = { any: false, internet: false, included: [], excluded: [] };
  const add = (entries: readonly CgfEntry[], into: string[], depth: number) => {
    for (const e of entries) {
      if (e.entry) into.push(e.entry.ip);
      else if (e.references) reference(e.references, into, depth);
    }
  };
  const reference = (name: string, into: string[], depth: number) => {
    const builtin = FIREWALL_BUILTIN_RANGES[name as keyof typeof FIREWALL_BUILTIN_RANGES];
    const object = objects.get(name);
    if (object && depth < 8) {
      add(object.included, into, depth + 1);
      add(object.excluded, match.excluded, depth + 1);
    } else if (builtin === 'any') Object.assign(match, { any: true });
    else if (builtin === 'internet') Object.assign(match, { internet: true });
    else if (builtin) into.push(...builtin);
    else unknown.push(`object ${name}`);
  };
  if ('references' in address) reference(address.references, match.included, 0);
  else {
    add(address.explicit.included, match.included, 0);
    add(address.explicit.excluded, match.excluded, 0);
  }
  return { match: { ...match, included: match.included.filter((p) => !p.includes(':')), excluded: match.excluded.filter((p) => !p.includes(':')) }, unknown };
}

function matchText(field: 'saddr' | 'daddr', m: Match): string[] {
  if (m.any) return m.excluded.length > 0 ? [`ip ${field} != { ${m.excluded.join(', ')} }`] : [];
  const parts: string[] = [];
  if (m.internet) parts.push(`ip ${field} != { ${[...NON_PUBLIC_RANGES.filter((p) => !p.includes(':')), ...m.excluded].join(', ')} }`);
  else {
    // A rule whose addresses cover nothing matches nothing (an address no packet carries).
    parts.push(`ip ${field} { ${m.included.length > 0 ? m.included.join(', ') : '0.0.0.0/32'} }`);
    if (m.excluded.length > 0) parts.push(`ip ${field} != { ${m.excluded.join(', ')} }`);
  }
  return parts;
}

/** One match per protocol the services name (Any matches every packet). */
function serviceMatches(services: readonly string[]): string[] {
  if (services.some((s) => FIREWALL_SERVICES[s] === 'any')) return [''];
  const ports = services.flatMap((s) => FIREWALL_SERVICES[s] as { protocol: string; port: number }[]);
  return ['tcp', 'udp'].flatMap((protocol) => {
    const list = [...new Set(ports.filter((p) => p.protocol === protocol).map((p) => p.port))];
    return list.length === 0 ? [] : [`${protocol} dport { ${list.join(', ')} }`];
  });
}
