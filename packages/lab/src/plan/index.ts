/**
 * Topology → LabPlan, pure: the Internet and Azure's fabric first, then the gateways, the
 * firewalls, the sites with their tunnels and circuits, the test endpoints, the gateways' BGP
 * policies, each subnet's fixed routes, and last the flows of the intents (which may add hosts).
 */
import { createHash } from 'node:crypto';
import type { Topology, TopologyIndex } from '@hybridnet/model';
import type { LabPlan } from '../ir.ts';
import { allocators, PlanBuilder } from './builder.ts';
import { FABRIC, type PlanContext } from './context.ts';
import { finishFabric, planFabric } from './fabric.ts';
import { planFirewalls } from './firewall.ts';
import { planFlows } from './flows.ts';
import { renderFrr } from './frr.ts';
import { finishGatewayPolicies, planGateways } from './gateways.ts';
import { planTestEndpoints } from './hosts.ts';
import { planSecurityGroups } from './nsg.ts';
import { planSites } from './sites.ts';

/** The lab's prefix for a topology: `hn` and six hex digits of its name, so two topologies' labs never share a namespace. */
export function labName(topology: Pick<Topology, 'name'>): string {
  return `hn${createHash('sha256').update(topology.name).digest('hex').slice(0, 6)}`;
}

/** Every IPv4 prefix and address the topology names: the lab's own ranges must avoid them all. */
function declared(topology: Topology): string[] {
  const out: string[] = [];
  for (const v of topology.azure.vnets) {
    out.push(...v.addressSpace, ...v.subnets.map((s) => s.prefix), ...(v.vpnGateway?.pointToSite?.addressPool ?? []));
    for (const i of v.vpnGateway?.bgp?.instances ?? []) out.push(...i.apipa);
  }
  for (const t of topology.azure.routeTables) out.push(...t.routes.map((r) => r.prefix));
  for (const f of topology.azure.firewalls) out.push(f.privateIp, ...f.addressGroups.flatMap((g) => g.prefixes));
  for (const a of topology.azure.appServices) if (a.integration.type === 'gateway-required') out.push(...a.integration.routedPrefixes);
  for (const s of topology.sites) {
    out.push(...s.lan);
    if (s.bgp) out.push(s.bgp.peerIp, ...s.bgp.advertise);
    if ('publicIp' in s.device && s.device.publicIp && s.device.publicIp !== 'after-deploy') out.push(s.device.publicIp);
    if (s.device.type === 'rras') out.push(s.device.privateIp);
    if (s.hosting.type === 'aws') out.push(s.hosting.vpcCidr, s.hosting.subnetCidr);
  }
  for (const c of topology.connections) if (c.type === 'site-to-site') out.push(...(c.siteAddressSpace ?? []), ...(c.azureAddressSpace ?? []), ...(c.tunnels ?? []).flatMap((t) => (t.apipa ? [t.apipa] : [])));
  for (const t of topology.testEndpoints) if (t.privateIp) out.push(t.privateIp);
  for (const i of topology.intents) for (const e of [i.from, ...i.to]) if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(e)) out.push(e);
  return out.filter((p) => !p.includes(':'));
}

export function planLab(topology: Topology, index: TopologyIndex): LabPlan {
  const lab = labName(topology);
  const used = declared(topology);
  const alloc = allocators(used);
  const empty = { lab, topology: topology.name, nodes: [], links: [], fabric: null, flows: [], elements: [], secrets: [], expect: { sas: [], bgp: [] }, notes: [] };
  if ('conflict' in alloc) return { ...empty, gaps: [{ path: [], message: alloc.conflict }] };
  const b = new PlanBuilder(alloc);
  const ctx: PlanContext = {
    topology,
    index,
    b,
    used: new Set(used.filter((p) => !p.includes('/') || p.endsWith('/32')).map((p) => p.replace(/\/32$/, ''))),
    gateways: new Map(),
    erGateways: new Map(),
    segments: new Map(),
    hosts: new Map(),
    endpoints: new Map(),
    apps: new Map(),
    firewalls: new Map(),
    fabricSubnets: [],
    fabricGateways: [],
    fabricInternet: { via: '', dev: '' },
    secrets: new Map(),
    elements: [],
    expect: { sas: [], bgp: [] },
    gaps: [],
    notes: new Set(),
    internetHosts: new Map(),
    publicIps: new Map(),
    frr: new Map(),
  };
  planFabric(ctx);
  planGateways(ctx);
  planFirewalls(ctx);
  planSites(ctx);
  planTestEndpoints(ctx);
  finishGatewayPolicies(ctx);
  finishFabric(ctx);
  const flows = planFlows(ctx);
  // After the flows: they may add hosts in subnets with a group.
  planSecurityGroups(ctx);
  for (const [node, spec] of ctx.frr) {
    if (spec.statics.length > 0 || spec.asn !== undefined) b.get(node).frr = renderFrr(spec);
  }
  const ipv6 = topology.azure.vnets.some((v) => v.addressSpace.some((p) => p.includes(':'))) || topology.sites.some((s) => s.lan.some((p) => p.includes(':')));
  if (ipv6) ctx.notes.add("IPv6 is not in the lab: Azure's VPN tunnels carry IPv4, and so does the lab");
  return {
    lab,
    topology: topology.name,
    nodes: [...b.nodes.values()],
    links: b.links,
    fabric: { node: FABRIC, internet: ctx.fabricInternet, subnets: ctx.fabricSubnets, gateways: ctx.fabricGateways },
    flows,
    elements: ctx.elements,
    secrets: [...ctx.secrets.values()],
    expect: ctx.expect,
    notes: [...ctx.notes],
    gaps: ctx.gaps,
  };
}
