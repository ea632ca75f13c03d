/**
 * The SDN sync: Azure's controller, written once. It reads what each gateway knows now (its FRR
 * RIB: routes to sites over tunnels and circuits, static local-network prefixes, the
 * point-to-site pool, routes learned over BGP) and writes every subnet's effective routes into
 * the fabric: its fixed routes (system, user-defined) and the gateway routes its route table lets
 * in, chosen by Azure's rules (../platform.ts). Run after `lab up` converges, before `lab test`,
 * and after `lab fail` or `lab heal`.
 */
import type { EffectiveRoute, LabPlan } from '../ir.ts';
import { effectiveRoutes, linuxRoutes } from '../platform.ts';
import { frrRoutes } from './observe.ts';
import { routeCommand } from './commands.ts';
import { ipBatch, nsName } from './system.ts';

export interface SubnetRoutes {
  readonly subnet: string;
  readonly routes: EffectiveRoute[];
}

/** What the gateways of each VNet teach its subnets now. */
export function taughtRoutes(plan: LabPlan, dir: string, failed: readonly string[]): Map<string, EffectiveRoute[]> {
  const taught = new Map<string, EffectiveRoute[]>();
  const gateways = plan.fabric?.gateways ?? [];
  // A failed instance teaches nothing (its link to the fabric is down).
  const down = new Set(plan.elements.filter((e) => e.kind === 'instance' && failed.includes(e.name)).flatMap((e) => e.interfaces.map((i) => i.node)));
  for (const gw of gateways) {
    if (down.has(gw.node)) continue;
    const coexisting = gw.kind === 'vpn' && gateways.some((o) => o.vnet === gw.vnet && o.kind === 'er');
    const list = taught.get(gw.vnet) ?? [];
    if (gw.teaches) {
      for (const prefix of gw.teaches) list.push({ prefix, rank: 'gateway-vpn', hop: { kind: 'via', addresses: [gw.address], dev: gw.dev }, source: `gateway ${gw.gateway} (point-to-site)` });
      taught.set(gw.vnet, list);
      continue;
    }
    for (const [prefix, entries] of Object.entries(frrRoutes(plan, dir, gw.node))) {
      if (prefix.includes(':')) continue;
      const best = entries.find((e) => e.selected);
      if (!best || (best.protocol !== 'bgp' && best.protocol !== 'static')) continue;
      // A route with no next hop of its own (a null route standing behind a tunnel that is down) teaches nothing.
      const hops = (best.nexthops ?? []).filter((h) => h.active !== false);
      if (!hops.some((h) => h.ip) || hops.some((h) => h.ip && gw.notPropagatedVia.includes(h.ip))) continue;
      // Beside an ExpressRoute gateway, the host route to a BGP peer does not reach subnets (../platform.ts).
      if (coexisting && gw.peerHosts.includes(prefix)) continue;
      list.push({ prefix, rank: gw.kind === 'er' ? 'gateway-er' : 'gateway-vpn', hop: { kind: 'via', addresses: [gw.address], dev: gw.dev }, source: `gateway ${gw.gateway}` });
    }
    taught.set(gw.vnet, list);
  }
  return taught;
}

export function syncFabric(plan: LabPlan, dir: string, failed: readonly string[]): SubnetRoutes[] {
  if (!plan.fabric) return [];
  const taught = taughtRoutes(plan, dir, failed);
  const ns = nsName(plan.lab, plan.fabric.node);
  const out: SubnetRoutes[] = [];
  for (const s of plan.fabric.subnets) {
    const routes = effectiveRoutes(s.fixed, s.gatewayVnet ? (taught.get(s.gatewayVnet) ?? []) : [], s.systemRanges);
    const linux = linuxRoutes(routes, s.table, plan.fabric.internet);
    ipBatch(ns, [`route flush table ${s.table}`, ...linux.map(routeCommand)], true);
    out.push({ subnet: `${s.vnet}/${s.subnet}`, routes });
  }
  return out;
}
