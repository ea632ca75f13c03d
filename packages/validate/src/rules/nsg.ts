/**
 * Network security groups: where Azure allows them and rules that can never apply.
 * Sources: ../shared/reference/azure-rules.md §1 (GatewaySubnet: "NSGs on it are not supported",
 * vpn-gateway-about-vpn-gateway-settings.md, and Azure Policy's built-in "Gateway subnets should
 * not be configured with a network security group": "will cause the gateway to stop
 * functioning"; RouteServerSubnet: "no UDR and no NSG on the subnet", route-server-faq.md);
 * network-security-groups-overview.md ("Security rules": priority 100-4096, unique per direction,
 * processing stops at the first match). A test endpoint at a site has no Azure NIC to hold one.
 */
import { contains, type ModelPath, type SecurityRule } from '@hybridnet/model';
import type { Context } from '../context.ts';
import { ends, type Ends } from '../nsg.ts';

export function checkNsgs(ctx: Context): void {
  const { topology, index } = ctx;
  topology.azure.vnets.forEach((vnet, v) =>
    vnet.subnets.forEach((s, i) => {
      if (!s.networkSecurityGroup) return;
      const path = ['azure', 'vnets', v, 'subnets', i, 'networkSecurityGroup'];
      if (s.name === 'GatewaySubnet') ctx.report('hybridnet/validate/nsg/gateway-subnet', path, `GatewaySubnet of "${vnet.name}" has network security group "${s.networkSecurityGroup}"; Azure does not support one there: the gateway stops working`, 'remove the group from GatewaySubnet; filter in the subnets behind the gateway instead');
      if (s.name === 'RouteServerSubnet') ctx.report('hybridnet/validate/nsg/route-server-subnet', path, `RouteServerSubnet of "${vnet.name}" has network security group "${s.networkSecurityGroup}"; Route Server does not support one`, 'remove the group from RouteServerSubnet');
    }),
  );
  topology.testEndpoints.forEach((t, i) => {
    if (t.networkSecurityGroup && 'site' in t.attach) ctx.report('hybridnet/validate/nsg/not-in-azure', ['testEndpoints', i, 'networkSecurityGroup'], `test endpoint "${t.name}" is at site "${t.attach.site}", where there is no Azure NIC to hold network security group "${t.networkSecurityGroup}"`, 'remove networkSecurityGroup (a site in AWS filters with the security group hybridnet generates)');
  });
  topology.azure.networkSecurityGroups.forEach((g, n) => {
    const base = ['azure', 'networkSecurityGroups', n, 'rules'];
    const taken = new Map<string, number>();
    g.rules.forEach((r, j) => {
      const key = `${r.direction} ${r.priority}`;
      const first = taken.get(key);
      if (first !== undefined) ctx.report('hybridnet/validate/nsg/priority-taken', [...base, j, 'priority'], `rules "${g.rules[first]!.name}" and "${r.name}" of network security group "${g.name}" both have priority ${r.priority} (${r.direction.toLowerCase()}); Azure refuses the group`, 'give each rule of one direction its own priority');
      else taken.set(key, j);
    });
    // A rule that an earlier one (lower priority number, same direction) matches wholly never applies.
    const ordered = g.rules.map((r, j) => ({ r, j, ends: resolve(r, ctx) })).sort((a, b) => a.r.priority - b.r.priority);
    ordered.forEach((later, k) => {
      const earlier = ordered.slice(0, k).find((e) => e.r.direction === later.r.direction && e.r.priority !== later.r.priority && covers(e, later));
      if (!earlier) return;
      const path: ModelPath = [...base, later.j];
      ctx.report('hybridnet/validate/nsg/shadowed-rule', path, `rule "${later.r.name}" (priority ${later.r.priority}) of network security group "${g.name}" never applies: rule "${earlier.r.name}" (priority ${earlier.r.priority}) matches all its traffic first`, later.r.access === earlier.r.access ? 'remove the rule, or narrow the earlier one' : `give "${later.r.name}" a lower priority number than "${earlier.r.name}" if it should win`);
    });
  });
  topology.intents.forEach((intent, i) => {
    if (intent.protocol === 'icmp' && intent.port !== undefined) ctx.report('hybridnet/validate/intent/icmp-port', ['intents', i, 'port'], `intent "${intent.name}" is ICMP, which has no ports, but names port ${intent.port}`, 'remove port, or say protocol: tcp or udp');
  });
  void index;
}

interface Resolved {
  readonly r: SecurityRule;
  readonly ends: { readonly source: Ends; readonly destination: Ends };
}

function resolve(r: SecurityRule, ctx: Context): Resolved['ends'] {
  return { source: ends(r.source, ctx.index), destination: ends(r.destination, ctx.index) };
}

const sideCovers = (a: Ends, b: Ends) => a.any || (!b.any && [...b.tags].every((t) => a.tags.has(t)) && b.ranges.every((p) => a.ranges.some((q) => contains(q, p))));

const portRanges = (list: readonly string[]) => (list.includes('*') ? undefined : list.map((t) => t.split('-').map(Number) as [number, number?]).map(([a, b]) => [a, b ?? a] as const));
const portsCover = (a: readonly string[], b: readonly string[]) => {
  const [ra, rb] = [portRanges(a), portRanges(b)];
  return !ra || (rb !== undefined && rb.every(([lo, hi]) => ra.some(([x, y]) => x <= lo && hi <= y)));
};

function covers(a: Resolved, b: Resolved): boolean {
  return (a.r.protocol === '*' || a.r.protocol === b.r.protocol) && sideCovers(a.ends.source, b.ends.source) && sideCovers(a.ends.destination, b.ends.destination) && portsCover(a.r.sourcePorts, b.r.sourcePorts) && portsCover(a.r.destinationPorts, b.r.destinationPorts);
}
