/**
 * Azure's network security groups in the lab, as nftables on the hosts they guard: a host in a
 * subnet with a group, a test VM whose NIC has one, a firewall whose NIC or subnet has one. As
 * Azure evaluates them (model: data/nsg.ts): arriving, the subnet's group then the NIC's; leaving,
 * the NIC's then the subnet's; a firewall's forwarded traffic both. Within a group the rules in
 * priority order, first match (allow: on to the next group; deny: dropped), Azure's default rules
 * beneath; stateful (a reply passes by the session). VirtualNetwork is what the subnet's
 * simulated routes hold (validate's virtualNetworkPrefixes), the lab carries IPv4.
 *
 *   chain nsg0_in {
 *     meta l4proto tcp ip saddr { 10.40.0.0/16 } th dport 22 counter return comment "allow-branch-ssh (100)"
 *     ip saddr { 10.40.0.0/16 } counter drop comment "deny-branch (4000)"
 *     ...
 *   }
 */
import { NON_PUBLIC_RANGES } from '@hybridnet/model';
import { planeNsgs, virtualNetworkPrefixes, type NsgEnds, type PlaneNsg, type PlaneNsgRule } from '@hybridnet/validate';
import type { PlanContext } from './context.ts';
import { contains } from './hosts.ts';

type Direction = 'Inbound' | 'Outbound';

export function planSecurityGroups(ctx: PlanContext): void {
  const { topology, index } = ctx;
  // The groups as the data plane matches them: rules by priority, Azure's defaults beneath, names resolved.
  const planes = planeNsgs(topology.azure.networkSecurityGroups, index);
  const subnetOf = (address: string) => {
    for (const v of topology.azure.vnets) for (const s of v.subnets) if (contains(s.prefix, address)) return { vnet: v.name, subnet: s };
    return undefined;
  };
  const groupNamed = (name: string | undefined) => (name ? planes.get(name) : undefined);
  const seen = new Set<string>();
  for (const host of [...ctx.endpoints.values(), ...ctx.hosts.values()]) {
    if (seen.has(host.node)) continue;
    seen.add(host.node);
    const at = subnetOf(host.address);
    if (!at) continue;
    const endpoint = topology.testEndpoints.find((t) => t.privateIp === host.address && 'vnet' in t.attach);
    const groups = { subnet: groupNamed(at.subnet.networkSecurityGroup), nic: groupNamed(endpoint?.networkSecurityGroup) };
    if (!groups.subnet && !groups.nic) continue;
    const node = ctx.b.get(host.node);
    node.nft = [node.nft ?? '', ruleset(groups, virtualNetworkPrefixes(topology, index, at.vnet, at.subnet.name), false)].join('\n');
  }
  for (const fw of topology.azure.firewalls) {
    const lab = ctx.firewalls.get(fw.name);
    const subnet = index.subnets.get(fw.vnet)?.get(fw.subnet)?.value;
    const groups = { subnet: groupNamed(subnet?.networkSecurityGroup), nic: groupNamed(fw.networkSecurityGroup) };
    if (!lab || (!groups.subnet && !groups.nic)) continue;
    const node = ctx.b.get(lab.node);
    node.nft = [node.nft ?? '', ruleset(groups, virtualNetworkPrefixes(topology, index, fw.vnet, fw.subnet), true)].join('\n');
  }
}

/** A table of its own: each group's chains, and the hooks that jump to them in Azure's order. */
function ruleset(groups: { subnet?: PlaneNsg; nic?: PlaneNsg }, virtualNetwork: readonly string[], forwards: boolean): string {
  const chains: string[] = [];
  const jumps = (direction: Direction): string[] => (direction === 'Inbound' ? (['subnet', 'nic'] as const) : (['nic', 'subnet'] as const)).filter((role) => groups[role]).map((role) => `    jump ${chainName(direction, role)}`);
  for (const [role, g] of [['subnet', groups.subnet], ['nic', groups.nic]] as const) {
    if (!g) continue;
    for (const direction of ['Inbound', 'Outbound'] as const) {
      chains.push(`  chain ${chainName(direction, role)} {`, `    # network security group ${g.name}, ${direction.toLowerCase()}`, ...g.rules.filter((r) => r.direction === direction).flatMap((r) => ruleLines(r, virtualNetwork)), '  }');
    }
  }
  const hook = (name: string, kind: string, direction: Direction | 'both') => [
    `  chain ${name} {`,
    `    type filter hook ${kind} priority filter - 5; policy accept;`,
    '    ct state established,related accept',
    ...(kind === 'input' ? ['    iif "lo" accept'] : kind === 'output' ? ['    oif "lo" accept'] : []),
    ...(direction === 'both' ? [...jumps('Inbound'), ...jumps('Outbound')] : jumps(direction)),
    '  }',
  ];
  return ['# Azure network security groups (model: data/nsg.ts)', 'table inet hnlab_nsg {', ...chains, ...hook('nsg_input', 'input', 'Inbound'), ...hook('nsg_output', 'output', 'Outbound'), ...(forwards ? hook('nsg_forward', 'forward', 'both') : []), '}', ''].join('\n');
}

/** The Internet tag: what is not private (IPv4; the lab carries IPv4). */
const NON_PUBLIC_V4 = NON_PUBLIC_RANGES.filter((p) => !p.includes(':'));

const chainName = (direction: Direction, role: 'subnet' | 'nic') => `${role}_${direction === 'Inbound' ? 'in' : 'out'}`;

/** A rule as nftables lines: one per pair of address alternatives (prefixes, or the Internet as what is not private). */
function ruleLines(r: PlaneNsgRule, virtualNetwork: readonly string[]): string[] {
  const side = (e: NsgEnds): ({ set: string[] } | 'internet' | 'any')[] => {
    if (e.any) return ['any'];
    const set = [...new Set([...e.ranges.filter((p) => p.version === 4).map((p) => p.text), ...(e.tags.has('VirtualNetwork') ? virtualNetwork : [])])];
    return [...(set.length > 0 ? [{ set }] : []), ...(e.tags.has('Internet') ? (['internet'] as const) : [])];
  };
  const match = (field: 'saddr' | 'daddr', alt: { set: string[] } | 'internet' | 'any') => (alt === 'any' ? [] : alt === 'internet' ? [`ip ${field} != { ${NON_PUBLIC_V4.join(', ')} }`] : [`ip ${field} { ${alt.set.join(', ')} }`]);
  const ports = (field: 'sport' | 'dport', list: PlaneNsgRule['sourcePorts']) => (list === 'any' ? [] : [`th ${field} { ${list.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')} }`]);
  const portMatches = [...ports('sport', r.sourcePorts), ...ports('dport', r.destinationPorts)];
  const protocol = r.protocol === 'Tcp' ? ['meta l4proto tcp'] : r.protocol === 'Udp' ? ['meta l4proto udp'] : r.protocol === 'Icmp' ? ['meta l4proto icmp'] : portMatches.length > 0 ? ['meta l4proto { tcp, udp }'] : [];
  const verdict = r.allow ? 'return' : 'drop';
  const lines: string[] = [];
  for (const s of side(r.source)) for (const d of side(r.destination)) lines.push(`    ${[...protocol, ...match('saddr', s), ...match('daddr', d), ...(r.protocol === 'Icmp' ? [] : portMatches), 'counter', verdict, `comment "${r.name} (${r.priority})"`].join(' ')}`);
  return lines;
}
