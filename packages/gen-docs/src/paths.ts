/**
 * Small questions every document asks of the routing: which ranges a subnet's route table sends
 * to a firewall, and whether a prefix covers an address.
 */
import { parseIp, parsePrefix, type Subnet, type TopologyIndex } from '@hybridnet/model';

/** The routes of a subnet's route table that send a range to a firewall (virtual appliance), in table order. */
export function firewallRoutes(subnet: Subnet | undefined, index: TopologyIndex): { prefix: string; firewall: string }[] {
  const table = subnet?.routeTable ? index.routeTables.get(subnet.routeTable)?.value : undefined;
  return (table?.routes ?? []).flatMap((r) => (typeof r.nextHop === 'object' ? [{ prefix: r.prefix, firewall: r.nextHop.virtualAppliance }] : []));
}

/** Whether the prefix holds the address (same IP version). */
export function covers(prefix: string, ip: string): boolean {
  const p = parsePrefix(prefix);
  const a = parseIp(ip);
  return p.ok && a.ok && p.value.version === a.value.version && p.value.first <= a.value.value && a.value.value <= p.value.last;
}
