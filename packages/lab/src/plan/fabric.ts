/**
 * The Internet and Azure's network fabric. The fabric is one namespace that stands for Azure's
 * software-defined network: a bridge per subnet (its .1 is the fabric, as in Azure), and per subnet
 * a routing table with that subnet's effective routes, chosen by the interface a packet comes in
 * on. A route into the VNet or a peering is a `throw`, so the lookup goes on to the VNet's delivery
 * table, which knows where each subnet is: a user-defined route may then be shorter than a subnet
 * and still win, as in Azure. Traffic from outside arrives through GatewaySubnet's table.
 *
 *   iif b3 lookup 1003 (backend's effective routes) → iif b3 lookup 500 (delivery) → blackhole
 *
 * The fabric also translates what leaves for the Internet: a NIC's public IP or a subnet's NAT
 * gateway; anything else is dropped (no default outbound access, see ../platform.ts).
 */
import type { Topology, TopologyIndex, Vnet } from '@hybridnet/model';
import type { EffectiveRoute, FabricSubnet, LabRoute } from '../ir.ts';
import { AZURE_SUBNET_GATEWAY, noneRoutesFor, nthAddress } from '../platform.ts';
import { FABRIC, INTERNET, type PlanContext } from './context.ts';

const DELIVER_ALL = 499;
const deliverTable = (v: number) => 500 + v;
const subnetTable = (n: number) => 1000 + n;

const ipv4 = (prefixes: readonly string[]) => prefixes.filter((p) => !p.includes(':'));

/** The VNet whose gateways a VNet's subnets use: the hub lending it gateway transit, else its own. */
export function gatewayVnetOf(vnet: Vnet, topology: Topology, index: TopologyIndex): Vnet | undefined {
  const hub = topology.azure.peerings.find((p) => p.vnets.includes(vnet.name) && p.gatewayTransitFrom && p.gatewayTransitFrom !== vnet.name)?.gatewayTransitFrom;
  const owner = hub ? index.vnets.get(hub)?.value : vnet;
  return owner && (owner.vpnGateway || owner.expressRouteGateway) ? owner : undefined;
}

function peeredVnets(vnet: Vnet, topology: Topology, index: TopologyIndex): Vnet[] {
  return topology.azure.peerings.filter((p) => p.vnets.includes(vnet.name)).flatMap((p) => {
    const other = index.vnets.get(p.vnets[0] === vnet.name ? p.vnets[1] : p.vnets[0])?.value;
    return other ? [other] : [];
  });
}

/** The Internet, the fabric, a bridge per subnet with the fabric at .1, and the delivery tables. */
export function planFabric(ctx: PlanContext): void {
  const { b, topology, index } = ctx;
  b.node(INTERNET, 'internet', 'the Internet', true);
  const fabric = b.node(FABRIC, 'fabric', "Azure's network fabric", true);
  const link = b.p2p(FABRIC, INTERNET);
  Object.assign(ctx.fabricInternet, { via: link.bIp, dev: link.aIf });
  let n = 0;
  const bridges = new Map<string, { bridge: string; prefix: string }>();
  topology.azure.vnets.forEach((vnet) => {
    for (const subnet of vnet.subnets) {
      const bridge = `b${n}`;
      const gateway = nthAddress(subnet.prefix, AZURE_SUBNET_GATEWAY);
      const length = subnet.prefix.split('/')[1];
      fabric.bridges.push({ name: bridge, addresses: [`${gateway}/${length}`] });
      ctx.used.add(gateway);
      bridges.set(`${vnet.name}/${subnet.name}`, { bridge, prefix: subnet.prefix });
      ctx.segments.set(`subnet:${vnet.name}/${subnet.name}`, { prefixes: [subnet.prefix], bridgeNode: FABRIC, bridge, gateway, firstHost: 4, label: `${vnet.name}/${subnet.name}` });
      if (subnet.natGateway && !ctx.publicIps.has(`nat:${subnet.natGateway}`)) ctx.publicIps.set(`nat:${subnet.natGateway}`, b.alloc.public());
      n++;
    }
  });
  // Delivery: a VNet reaches its own subnets and its peers'; from the Internet, translated replies reach any.
  topology.azure.vnets.forEach((vnet, v) => {
    for (const reachable of [vnet, ...peeredVnets(vnet, topology, index)]) {
      for (const s of reachable.subnets) fabric.routes.push({ table: deliverTable(v), prefix: s.prefix, dev: bridges.get(`${reachable.name}/${s.name}`)!.bridge });
    }
  });
  for (const [, { bridge, prefix }] of bridges) fabric.routes.push({ table: DELIVER_ALL, prefix, dev: bridge });
  fabric.rules.push({ pref: 90, iif: link.aIf, table: DELIVER_ALL }, { pref: 91, iif: link.aIf, type: 'blackhole' });
}

/**
 * Each subnet's table, once gateways, firewalls and route tables are known: the routes that do not
 * change (system and user-defined) are fixed now; the SDN sync adds what gateways teach.
 */
export function finishFabric(ctx: PlanContext): void {
  const { topology, index } = ctx;
  const fabric = ctx.b.get(FABRIC);
  let n = 0;
  topology.azure.vnets.forEach((vnet, v) => {
    const peered = peeredVnets(vnet, topology, index);
    const gatewayVnet = gatewayVnetOf(vnet, topology, index);
    for (const subnet of vnet.subnets) {
      const seg = ctx.segments.get(`subnet:${vnet.name}/${subnet.name}`)!;
      const table = index.routeTables.get(subnet.routeTable ?? '')?.value;
      const fixed: EffectiveRoute[] = [
        ...ipv4(vnet.addressSpace).map((prefix): EffectiveRoute => ({ prefix, rank: 'system', hop: { kind: 'vnet' }, source: `VNet ${vnet.name}` })),
        ...peered.flatMap((p) => ipv4(p.addressSpace).map((prefix): EffectiveRoute => ({ prefix, rank: 'system', hop: { kind: 'vnet' }, source: `peering with ${p.name}` }))),
        { prefix: '0.0.0.0/0', rank: 'system', hop: { kind: 'internet' }, source: 'Azure' },
        ...noneRoutesFor(vnet.addressSpace).map((r): EffectiveRoute => ({ prefix: r.prefix, rank: 'system', hop: { kind: 'none' }, source: r.source })),
        ...ipv4((table?.routes ?? []).map((r) => r.prefix)).flatMap((prefix) => {
          const route = table!.routes.find((r) => r.prefix === prefix)!;
          return [udr(ctx, vnet, route.nextHop, prefix, `route table ${table!.name}`)];
        }),
      ];
      const propagates = subnet.name === 'GatewaySubnet' || (table?.propagateGatewayRoutes ?? true);
      const spec: FabricSubnet = {
        vnet: vnet.name,
        subnet: subnet.name,
        bridge: seg.bridge,
        table: subnetTable(n),
        deliver: deliverTable(v),
        fixed,
        gatewayVnet: propagates && gatewayVnet ? gatewayVnet.name : null,
        systemRanges: [...ipv4(vnet.addressSpace), ...peered.flatMap((p) => ipv4(p.addressSpace))],
      };
      ctx.fabricSubnets.push(spec);
      fabric.rules.push({ pref: 100 + 3 * n, iif: seg.bridge, table: spec.table }, { pref: 101 + 3 * n, iif: seg.bridge, table: spec.deliver }, { pref: 102 + 3 * n, iif: seg.bridge, type: 'blackhole' });
      n++;
    }
  });
  fabric.nft = fabricRuleset(ctx);
}

function udr(ctx: PlanContext, vnet: Vnet, hop: Topology['azure']['routeTables'][number]['routes'][number]['nextHop'], prefix: string, source: string): EffectiveRoute {
  if (typeof hop === 'object') {
    const fw = ctx.index.firewalls.get(hop.virtualAppliance)?.value;
    const seg = fw ? ctx.segments.get(`subnet:${fw.vnet}/${fw.subnet}`) : undefined;
    return fw && seg ? { prefix, rank: 'udr', hop: { kind: 'via', addresses: [fw.privateIp], dev: seg.bridge }, source } : { prefix, rank: 'udr', hop: { kind: 'none' }, source };
  }
  switch (hop) {
    case 'VnetLocal':
      return { prefix, rank: 'udr', hop: { kind: 'vnet' }, source };
    case 'Internet':
      return { prefix, rank: 'udr', hop: { kind: 'internet' }, source };
    case 'None':
      return { prefix, rank: 'udr', hop: { kind: 'none' }, source };
    case 'VirtualNetworkGateway': {
      const owner = gatewayVnetOf(vnet, ctx.topology, ctx.index);
      const gw = owner?.vpnGateway ? ctx.gateways.get(owner.vpnGateway.name) : undefined;
      const seg = owner ? ctx.segments.get(`subnet:${owner.name}/GatewaySubnet`) : undefined;
      return gw && seg ? { prefix, rank: 'udr', hop: { kind: 'via', addresses: gw.instances.map((i) => i.address), dev: seg.bridge }, source } : { prefix, rank: 'udr', hop: { kind: 'none' }, source };
    }
  }
}

/** The fabric's own routes for the Internet link's public addresses it answers for. */
export function fabricPublicRoutes(ctx: PlanContext, addresses: readonly string[]): void {
  const inet = ctx.b.get(INTERNET);
  const link = ctx.b.links.find((l) => l.a.node === FABRIC && l.b.node === INTERNET)!;
  const via = link.a.addresses[0]!.split('/')[0]!;
  for (const a of addresses) inet.routes.push({ prefix: `${a}/32`, via: [via], dev: link.b.ifname } satisfies LabRoute);
}

/** NAT toward the Internet (a NIC's public IP, a subnet's NAT gateway), no default outbound access, peerings that refuse forwarded traffic. */
function fabricRuleset(ctx: PlanContext): string {
  const { topology, index } = ctx;
  const out = ctx.fabricInternet.dev;
  const snat: string[] = [];
  const dnat: string[] = [];
  const allowed: string[] = [];
  const publics: string[] = [];
  for (const [name, fw] of ctx.firewalls) {
    const model = index.firewalls.get(name)!.value;
    if (!model.publicIp) continue;
    const pub = ctx.publicIps.get(`firewall:${name}`)!;
    publics.push(pub);
    snat.push(`    oifname "${out}" ip saddr ${fw.address} snat ip to ${pub}`);
    dnat.push(`    iifname "${out}" ip daddr ${pub} dnat ip to ${fw.address}`);
    allowed.push(fw.address);
  }
  for (const vnet of topology.azure.vnets) {
    for (const s of vnet.subnets) {
      if (!s.natGateway) continue;
      const pub = ctx.publicIps.get(`nat:${s.natGateway}`)!;
      if (!publics.includes(pub)) publics.push(pub);
      snat.push(`    oifname "${out}" ip saddr ${s.prefix} snat ip to ${pub}`);
      allowed.push(s.prefix);
    }
  }
  fabricPublicRoutes(ctx, publics);
  const refuse: string[] = [];
  for (const p of topology.azure.peerings) {
    if (p.allowForwardedTraffic) continue;
    for (const [from, to] of [p.vnets, [p.vnets[1], p.vnets[0]]] as const) {
      const a = index.vnets.get(from)?.value;
      const z = index.vnets.get(to)?.value;
      if (!a || !z) continue;
      const ins = a.subnets.filter((s) => s.name !== 'GatewaySubnet').map((s) => `"${ctx.segments.get(`subnet:${a.name}/${s.name}`)!.bridge}"`);
      const outs = z.subnets.map((s) => `"${ctx.segments.get(`subnet:${z.name}/${s.name}`)!.bridge}"`);
      if (ins.length === 0 || outs.length === 0 || ipv4(a.addressSpace).length === 0) continue;
      refuse.push(`    iifname { ${ins.join(', ')} } oifname { ${outs.join(', ')} } ip saddr != { ${ipv4(a.addressSpace).join(', ')} } counter drop comment "peering ${p.name}: no forwarded traffic"`);
    }
  }
  return [
    'table ip fabric {',
    '  chain pre {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...dnat,
    '  }',
    '  chain post {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    ...snat,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    `    oifname "${out}" ct state new ${allowed.length > 0 ? `ip saddr != { ${allowed.join(', ')} } ` : ''}counter drop comment "no outbound access: no NAT gateway or public IP"`,
    ...refuse,
    '  }',
    '}',
    '',
  ].join('\n');
}
