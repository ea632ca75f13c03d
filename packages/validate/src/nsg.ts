/**
 * Network security groups in the data plane: where Azure evaluates them and what they decide
 * (model: data/nsg.ts has the default rules, service tags and sources).
 *
 * - A packet leaving a VM is checked against its NIC's group and then its subnet's (outbound);
 *   one arriving, against its subnet's group and then its NIC's (inbound). A firewall's NIC is a
 *   NIC like any other: traffic it forwards enters (inbound) and leaves (outbound) through it.
 *   An app with regional integration sends through its integration subnet's group.
 * - Within a group, the rule with the lowest priority number that matches decides; Azure's
 *   default rules lie beneath (65000-65500).
 * - Groups are stateful: a reply passes every group its request passed. A reply that meets a
 *   group its request did not cross is checked there as traffic of its own.
 * - VirtualNetwork is, for the subnet the group is on, what its effective routes hold besides
 *   the Internet and None routes: its VNet, peered VNets, what the gateways teach it (sites,
 *   point-to-site pools) and its route table's prefixes.
 */
import { endpointPrefixes, NSG_DEFAULT_RULES, type NetworkSecurityGroup, type SecurityRule, type Topology, type TopologyIndex } from '@hybridnet/model';
import { simulateRoutes, type SimRoute } from './simulate.ts';
import type { Address, DataPlane, ForwardingTable } from './dataplane.ts';
import { addressText, inPrefix, isPublic, prefix } from './dataplane.ts';
import type { Prefix } from '@hybridnet/model';

/** The traffic of a flow: its protocol and, for TCP and UDP, its destination port. */
export interface Traffic {
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly port?: number;
}

/** The source port of a request (and destination port of its reply): the start of the dynamic range (RFC 6335). */
export const EPHEMERAL_PORT = 49152;

/** One side of a rule: any address, the tags it names (VirtualNetwork, Internet), the prefixes the rest stand for. */
export interface Ends {
  readonly any: boolean;
  readonly tags: ReadonlySet<string>;
  readonly ranges: readonly Prefix[];
}

export interface PlaneRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly allow: boolean;
  readonly protocol: SecurityRule['protocol'];
  readonly source: Ends;
  readonly destination: Ends;
  readonly sourcePorts: readonly (readonly [number, number])[] | 'any';
  readonly destinationPorts: readonly (readonly [number, number])[] | 'any';
}

export interface PlaneNsg {
  readonly name: string;
  /** Its own rules by priority, then Azure's defaults. */
  readonly rules: readonly PlaneRule[];
}

/** Where a group is attached: a subnet, or a NIC (a test VM's or a firewall's) in a subnet. */
export interface Attachment {
  /** `subnet:<vnet>/<subnet>` or `nic:<name>` */
  readonly id: string;
  readonly nsg: string;
  readonly vnet: string;
  readonly subnet: string;
}

/** A group's verdict on one packet at one attachment. */
export interface NsgDecision {
  /** Where: the attachment, and which way the packet crossed it. */
  readonly at: Attachment;
  readonly direction: 'Inbound' | 'Outbound';
  /** The group and the rule that decided (a default rule's name, for Azure's). */
  readonly nsg: string;
  readonly rule: string;
  readonly priority: number;
  readonly allowed: boolean;
  /** `network security group "nsg" (subnet v/s, inbound): rule "r" (priority 100)` */
  readonly text: string;
}

const ports = (list: readonly string[]): PlaneRule['sourcePorts'] => (list.includes('*') ? 'any' : list.map((t) => { const [a, b] = t.split('-'); return [Number(a), Number(b ?? a)] as const; }));

export function ends(entries: readonly string[], index: TopologyIndex): Ends {
  const tags = new Set<string>();
  const ranges: Prefix[] = [];
  let any = false;
  for (const text of entries) {
    if (text === '*') any = true;
    else if (text === 'VirtualNetwork' || text === 'Internet') tags.add(text);
    else for (const t of endpointPrefixes(text, index)) ranges.push(prefix(t)!);
  }
  return { any, tags, ranges: ranges.filter(Boolean) };
}

/** Each group of the topology, its rules ready to match. */
export function planeNsgs(groups: readonly NetworkSecurityGroup[], index: TopologyIndex): Map<string, PlaneNsg> {
  const out = new Map<string, PlaneNsg>();
  for (const g of groups) {
    const own: PlaneRule[] = [...g.rules]
      .sort((a, b) => a.priority - b.priority)
      .map((r) => ({ name: r.name, priority: r.priority, direction: r.direction, allow: r.access === 'Allow', protocol: r.protocol, source: ends(r.source, index), destination: ends(r.destination, index), sourcePorts: ports(r.sourcePorts), destinationPorts: ports(r.destinationPorts) }));
    const defaults: PlaneRule[] = NSG_DEFAULT_RULES.map((r) => ({ name: r.name, priority: r.priority, direction: r.direction, allow: r.access === 'Allow', protocol: '*', source: ends([r.source], index), destination: ends([r.destination], index), sourcePorts: 'any', destinationPorts: 'any' }));
    out.set(g.name, { name: g.name, rules: [...own, ...defaults] });
  }
  return out;
}

/** The attachments a packet meets at a subnet: the subnet's group, and the NIC's whose address it is (`nicAddress`). */
export function attachmentsAt(index: TopologyIndex, vnet: string, subnet: string, nicAddress: Address | undefined): { subnet?: Attachment; nic?: Attachment } {
  const s = index.subnets.get(vnet)?.get(subnet)?.value;
  const out: { subnet?: Attachment; nic?: Attachment } = {};
  if (s?.networkSecurityGroup) out.subnet = { id: `subnet:${vnet}/${subnet}`, nsg: s.networkSecurityGroup, vnet, subnet };
  const nic = nicAddress?.version === 4 ? nicsOf(index).get(`${vnet}/${subnet} ${addressText(nicAddress)}`) : undefined;
  if (nic) out.nic = { ...nic, vnet, subnet };
  return out;
}

const nicGroups = new WeakMap<TopologyIndex, Map<string, { id: string; nsg: string }>>();

/** The NICs with a group (test VMs', firewalls'), by subnet and address: looked up at every delivery. */
function nicsOf(index: TopologyIndex): Map<string, { id: string; nsg: string }> {
  let found = nicGroups.get(index);
  if (!found) {
    found = new Map();
    for (const [name, { value: t }] of index.testEndpoints) if (t.networkSecurityGroup && t.privateIp && 'vnet' in t.attach) found.set(`${t.attach.vnet}/${t.attach.subnet} ${t.privateIp}`, { id: `nic:${name}`, nsg: t.networkSecurityGroup });
    for (const [name, { value: fw }] of index.firewalls) if (fw.networkSecurityGroup) found.set(`${fw.vnet}/${fw.subnet} ${fw.privateIp}`, { id: `nic:${name}`, nsg: fw.networkSecurityGroup });
    nicGroups.set(index, found);
  }
  return found;
}

const vnetTags = new WeakMap<ForwardingTable, readonly Prefix[]>();

/** Whether a subnet's route makes its prefix VirtualNetwork: every route but the Internet and None system routes. */
const inVirtualNetwork = (r: SimRoute): boolean => !(r.origin === 'system' && r.hop.kind !== 'vnet-local' && r.hop.kind !== 'vnet-peering');

/** What VirtualNetwork means on a subnet: its effective routes' prefixes but the Internet and None routes. */
function virtualNetwork(dp: DataPlane, vnet: string, subnet: string): readonly Prefix[] {
  const table = dp.table(`subnet:${vnet}/${subnet}`);
  if (!table) return [];
  let found = vnetTags.get(table);
  if (!found) {
    found = table.entries.filter((e) => inVirtualNetwork(e.route)).map((e) => e.prefix);
    vnetTags.set(table, found);
  }
  return found;
}

/** VirtualNetwork on a subnet, as prefixes (the lab writes it into nftables). */
export function virtualNetworkPrefixes(topology: Topology, index: TopologyIndex, vnet: string, subnet: string): string[] {
  const routes = simulateRoutes(topology, index).byName.get(`subnet:${vnet}/${subnet}`)?.routes ?? [];
  return [...new Set(routes.filter((r) => r.active !== false && inVirtualNetwork(r)).map((r) => r.prefix))];
}

function inEnds(e: Ends, a: Address, vnetTag: () => readonly Prefix[]): boolean {
  if (e.any) return true;
  if (e.ranges.some((p) => inPrefix(p, a))) return true;
  if (e.tags.has('Internet') && isPublic(a)) return true;
  return e.tags.has('VirtualNetwork') && vnetTag().some((p) => inPrefix(p, a));
}

const inPorts = (list: PlaneRule['sourcePorts'], port: number | undefined) => list === 'any' || (port !== undefined && list.some(([a, b]) => a <= port && port <= b));

/**
 * The verdict of the group at `at` on a packet from `src` to `dst` crossing it in `direction`;
 * `sourcePort` and `destinationPort` as the packet carries them (undefined for ICMP).
 */
export function evaluateNsg(dp: DataPlane, group: PlaneNsg, at: Attachment, direction: 'Inbound' | 'Outbound', src: Address, dst: Address, protocol: Traffic['protocol'], sourcePort: number | undefined, destinationPort: number | undefined): NsgDecision {
  let tag: readonly Prefix[] | undefined;
  const vnetTag = () => (tag ??= virtualNetwork(dp, at.vnet, at.subnet));
  const proto = protocol === 'tcp' ? 'Tcp' : protocol === 'udp' ? 'Udp' : 'Icmp';
  const where = `${at.id.startsWith('nic:') ? `the NIC of ${at.id.slice(4)}` : `subnet ${at.vnet}/${at.subnet}`}, ${direction.toLowerCase()}`;
  for (const r of group.rules) {
    if (r.direction !== direction || (r.protocol !== '*' && r.protocol !== proto)) continue;
    if (!inEnds(r.source, src, vnetTag) || !inEnds(r.destination, dst, vnetTag)) continue;
    if (protocol !== 'icmp' && (!inPorts(r.sourcePorts, sourcePort) || !inPorts(r.destinationPorts, destinationPort))) continue;
    return { at, direction, nsg: group.name, rule: r.name, priority: r.priority, allowed: r.allow, text: `network security group "${group.name}" (${where}): rule "${r.name}" (priority ${r.priority}) ${r.allow ? 'allows' : 'denies'} it` };
  }
  // Unreachable: DenyAll matches everything.
  return { at, direction, nsg: group.name, rule: '', priority: 65500, allowed: false, text: `network security group "${group.name}" (${where}): no rule matches` };
}
