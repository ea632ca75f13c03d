/**
 * `hybridnet verify azure <topology> --subscription <id>`: reads what Azure has, with the Azure SDK
 * for networking, and compares it with what the route simulation and the intents predict.
 *
 * - each gateway's learned routes (Get-AzVirtualNetworkGatewayLearnedRoute: origin Network for the
 *   VNets and local network gateways' prefixes, EBgp and IBgp for BGP): predicted and missing,
 *   present and unpredicted;
 * - BGP sessions: one Connected session per tunnel to each BGP site, and the routes the gateway
 *   advertises to it (what the site learns toward Azure: a site that never hears of the
 *   point-to-site pool never answers point-to-site clients);
 * - each IPsec connection's status: Connected;
 * - the effective routes of each Azure test VM's NIC against its subnet's predicted routes;
 * - Network Watcher's next hop from each Azure test VM on an intent's path against the first hop
 *   the data plane took.
 * Read-only: only GETs and the POSTs Azure uses for these reads.
 */
import type { TokenCredential } from '@azure/identity';
import { NetworkManagementClient, type EffectiveRoute } from '@azure/arm-network';
import { azureAnswerText, clientOptions, isAzureAnswer, pollInterval, type AzureTarget } from './azure.ts';
import { azureText } from './present.ts';
import { formatAddress, NSG_DEFAULT_RULES, resourceGroup, vnetsBehindGateway, type Topology, type TopologyIndex } from '@hybridnet/model';
import { evaluateIntents, nextHopText, simulateRoutes, type NextHop } from '@hybridnet/validate';

export interface VerifyAzureOptions {
  readonly subscription: string;
  readonly credential: TokenCredential;
  readonly target: AzureTarget;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export type CheckKind = 'learned-routes' | 'bgp-peers' | 'advertised-routes' | 'connection' | 'effective-routes' | 'security-rules' | 'next-hop' | 'ip-flow';

export interface AzureFinding {
  readonly check: CheckKind;
  readonly subject: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly seen: string;
  readonly intent?: string;
}

export async function verifyAzure(topology: Topology, index: TopologyIndex, options: VerifyAzureOptions): Promise<AzureFinding[]> {
  const client = new NetworkManagementClient(options.credential, options.subscription, clientOptions(options.target, options.environment));
  const lro = { updateIntervalInMs: pollInterval(options.environment), abortSignal: AbortSignal.timeout(30 * 60_000) };
  const simulation = simulateRoutes(topology, index);
  const network = resourceGroup(topology, 'network');
  const test = resourceGroup(topology, 'test');
  const findings: AzureFinding[] = [];
  // Azure's refusal of one read is a row; not being signed in, not reaching Azure or being sent
  // elsewhere stops the whole check (one line, exit 3), since no read can succeed.
  const read = async <T>(check: CheckKind, subject: string, expected: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (!isAzureAnswer(error)) throw error;
      findings.push({ check, subject, ok: false, expected, seen: `Azure answered: ${azureAnswerText(error)}` });
      return undefined;
    }
  };

  // Learned routes of every gateway.
  for (const [name, entry] of [...index.vpnGateways, ...index.expressRouteGateways]) {
    const set = simulation.byName.get(`${index.vpnGateways.has(name) ? 'vpn-gateway' : 'expressroute-gateway'}:${name}`);
    const predicted = new Set((set?.routes ?? []).filter((r) => r.origin !== 'p2s-pool').map((r) => r.prefix));
    const tolerated = new Set([...vnetsBehindGateway(entry.vnet, topology, index).flatMap((v) => v.addressSpace), ...(entry.vnet.vpnGateway?.pointToSite?.addressPool ?? [])]);
    const result = await read('learned-routes', name, [...predicted].join(', '), () => client.virtualNetworkGateways.beginGetLearnedRoutesAndWait(network, name, lro));
    if (!result) continue;
    // Each learned prefix once, with the origin Azure gives it (a map: 40,000 routes are read in one pass).
    const seen = new Map<string, string>();
    for (const r of result.value ?? []) if (r.network && !seen.has(r.network)) seen.set(r.network, r.origin ?? '?');
    const origins = new Map((set?.routes ?? []).map((r) => [r.prefix, r.origin]));
    const missing = [...predicted].filter((p) => !seen.has(p));
    const extra = [...seen.keys()].filter((p) => !predicted.has(p) && !tolerated.has(p));
    for (const prefix of missing) findings.push({ check: 'learned-routes', subject: name, ok: false, expected: `${prefix} (${origins.get(prefix) ?? '?'})`, seen: 'missing' });
    for (const prefix of extra) findings.push({ check: 'learned-routes', subject: name, ok: false, expected: 'not predicted', seen: azureText(`${prefix} (${seen.get(prefix)})`) });
    if (missing.length === 0 && extra.length === 0) findings.push({ check: 'learned-routes', subject: name, ok: true, expected: `${predicted.size} predicted routes`, seen: `all ${predicted.size} present` });
  }

  // BGP sessions: one per tunnel.
  for (const [name, entry] of index.vpnGateways) {
    const peers = topology.connections.flatMap((c) => (c.type === 'site-to-site' && c.gateway === name && c.bgp && index.sites.get(c.site)?.value.bgp ? [{ c, peer: index.sites.get(c.site)!.value.bgp!.peerIp, sessions: c.tunnels?.length ?? (entry.value.activeActive ? 2 : 1) }] : []));
    if (peers.length === 0) continue;
    const result = await read('bgp-peers', name, peers.map((p) => `${p.peer} ×${p.sessions}`).join(', '), () => client.virtualNetworkGateways.beginGetBgpPeerStatusAndWait(network, name, lro));
    if (!result) continue;
    for (const p of peers) {
      const connected = (result.value ?? []).filter((s) => s.neighbor === p.peer && s.state === 'Connected').length;
      findings.push({ check: 'bgp-peers', subject: `${name} → ${p.peer} (${p.c.name})`, ok: connected >= p.sessions, expected: `${p.sessions} Connected session${p.sessions > 1 ? 's' : ''}`, seen: `${connected} Connected` });
    }
    // What the gateway tells each BGP site: the routes the site learns toward Azure over this connection.
    for (const p of peers) {
      const predicted = new Set((simulation.byName.get(`site:${p.c.site}`)?.routes ?? []).filter((r) => r.origin === 'ebgp' && r.source === p.c.name).map((r) => r.prefix));
      const subject = `${name} → ${p.peer} (${p.c.name})`;
      const advertised = await read('advertised-routes', subject, [...predicted].join(', '), () => client.virtualNetworkGateways.beginGetAdvertisedRoutesAndWait(network, name, p.peer, lro));
      if (!advertised) continue;
      const seen = new Set((advertised.value ?? []).map((r) => r.network).filter((n): n is string => Boolean(n)));
      const missing = [...predicted].filter((x) => !seen.has(x));
      const extra = [...seen].filter((x) => !predicted.has(x));
      for (const prefix of missing) findings.push({ check: 'advertised-routes', subject, ok: false, expected: prefix, seen: 'not advertised' });
      for (const prefix of extra) findings.push({ check: 'advertised-routes', subject, ok: false, expected: 'not predicted', seen: azureText(prefix) });
      if (missing.length === 0 && extra.length === 0) findings.push({ check: 'advertised-routes', subject, ok: true, expected: `${predicted.size} predicted routes`, seen: `all ${predicted.size} advertised` });
    }
  }

  // IPsec connections (an ExpressRoute connection proves itself by the routes its gateway learns).
  for (const c of topology.connections) {
    if (c.type === 'expressroute') continue;
    const result = await read('connection', c.name, 'Connected', () => client.virtualNetworkGatewayConnections.get(network, c.name));
    if (result) findings.push({ check: 'connection', subject: c.name, ok: result.connectionStatus === 'Connected', expected: 'Connected', seen: azureText(result.connectionStatus ?? 'unknown') });
  }

  // Effective routes of each Azure test VM.
  for (const t of topology.testEndpoints) {
    if (!('vnet' in t.attach)) continue;
    const set = simulation.byName.get(`subnet:${t.attach.vnet}/${t.attach.subnet}`);
    const predicted = (set?.routes ?? []).filter((r) => r.active);
    const nic = `${t.name}-nic`;
    const result = await read('effective-routes', nic, `${predicted.length} routes`, () => client.networkInterfaces.beginGetEffectiveRouteTableAndWait(test, nic, lro));
    if (!result) continue;
    const active = (result.value ?? []).filter((r) => r.state === 'Active');
    const byPrefix = new Map<string, EffectiveRoute>();
    for (const a of active) for (const prefix of a.addressPrefix ?? []) if (!byPrefix.has(prefix)) byPrefix.set(prefix, a);
    let ok = true;
    for (const r of predicted) {
      const want = azureHop(r.hop);
      const got = byPrefix.get(r.prefix);
      if (!got || got.nextHopType !== want.type || (want.ip && !got.nextHopIpAddress?.includes(want.ip))) {
        ok = false;
        findings.push({ check: 'effective-routes', subject: `${t.name} ${r.prefix}`, ok: false, expected: `${want.type}${want.ip ? ` ${want.ip}` : ''}`, seen: got ? describe(got) : 'missing' });
      }
    }
    const known = new Set(predicted.map((r) => r.prefix));
    for (const a of active.filter((x) => x.source !== 'Default')) {
      for (const prefix of a.addressPrefix ?? []) {
        if (known.has(prefix)) continue;
        ok = false;
        findings.push({ check: 'effective-routes', subject: azureText(`${t.name} ${prefix}`), ok: false, expected: 'not predicted', seen: describe(a) });
      }
    }
    if (ok) findings.push({ check: 'effective-routes', subject: t.name, ok: true, expected: `${predicted.length} predicted routes`, seen: `${active.length} active routes` });
  }

  // Effective security rules of each Azure test VM with a group on its NIC or subnet: every rule
  // of those groups, and Azure's defaults, in force (securityRules/<name>, defaultSecurityRules/<name>).
  for (const t of topology.testEndpoints) {
    if (!('vnet' in t.attach)) continue;
    const groups = [t.networkSecurityGroup, index.subnets.get(t.attach.vnet)?.get(t.attach.subnet)?.value.networkSecurityGroup].filter((g): g is string => Boolean(g));
    if (groups.length === 0) continue;
    const nic = `${t.name}-nic`;
    const predicted = new Set(groups.flatMap((g) => [...(index.networkSecurityGroups.get(g)?.value.rules ?? []).map((r) => `securityRules/${r.name}`), ...NSG_DEFAULT_RULES.map((r) => `defaultSecurityRules/${r.name}`)]));
    const result = await read('security-rules', nic, `${predicted.size} rules`, () => client.networkInterfaces.beginListEffectiveNetworkSecurityGroupsAndWait(test, nic, lro));
    if (!result) continue;
    const seen = new Set((result.value ?? []).flatMap((g) => (g.effectiveSecurityRules ?? []).map((r) => r.name ?? '')));
    const missing = [...predicted].filter((name) => !seen.has(name));
    for (const name of missing) findings.push({ check: 'security-rules', subject: azureText(`${t.name} ${name}`), ok: false, expected: 'in force', seen: 'missing' });
    if (missing.length === 0) findings.push({ check: 'security-rules', subject: t.name, ok: true, expected: `${predicted.size} rules of ${groups.join(', ')}`, seen: `${seen.size} effective rules` });
  }

  // Next hops on the intents' paths, from Azure test VMs.
  const watcher = await read('next-hop', 'Network Watcher', `a watcher in ${topology.azure.location}`, async () => {
    for await (const w of client.networkWatchers.listAll()) if (w.location === topology.azure.location && w.id) return w.id;
    return undefined;
  });
  // A flow that starts in a subnet is asked from a test VM in that subnet (same table, same first hop).
  const vmIn = new Map<string, (typeof topology.testEndpoints)[number]>(topology.testEndpoints.flatMap((t) => ('vnet' in t.attach && t.privateIp ? [[`subnet ${t.attach.vnet}/${t.attach.subnet}`, t] as const] : [])));
  for (const result of evaluateIntents(topology, index)) {
    for (const flow of result.flows) {
      const vm = vmIn.get(flow.request.hops[0]?.node ?? '');
      const first = flow.request.hops[0]?.via;
      if (!vm || !first || !watcher) continue;
      const [, rg, name] = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkWatchers\/([^/]+)$/i.exec(watcher) ?? [];
      const want = azureHop(first);
      const subject = `${vm.name} → ${flow.destination}`;
      const source = vm.privateIp!;
      const hop = await read('next-hop', subject, want.type, () =>
        client.networkWatchers.beginGetNextHopAndWait(rg!, name!, { targetResourceId: `/subscriptions/${options.subscription}/resourceGroups/${test}/providers/Microsoft.Compute/virtualMachines/${vm.name}`, sourceIPAddress: source, destinationIPAddress: flow.destination }, lro),
      );
      if (hop) findings.push({ check: 'next-hop', subject, ok: hop.nextHopType === want.type && (!want.ip || hop.nextHopIpAddress === want.ip), expected: `${want.type}${want.ip ? ` ${want.ip}` : ''}`, seen: azureText(`${hop.nextHopType ?? '?'}${hop.nextHopIpAddress ? ` ${hop.nextHopIpAddress}` : ''}`), intent: result.intent.name });
    }
  }

  // IP flow verify of the intents' flows where they leave or reach an Azure test VM behind a
  // group: Azure's verdict on its NIC and subnet against the data plane's, and the rule.
  const vmAt = new Map(topology.testEndpoints.flatMap((t) => ('vnet' in t.attach && t.privateIp ? [[t.privateIp, t] as const] : [])));
  const asked = new Set<string>();
  for (const result of evaluateIntents(topology, index)) {
    for (const flow of result.flows) {
      if (!watcher || flow.protocol === 'icmp') continue;
      const [, rg, name] = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkWatchers\/([^/]+)$/i.exec(watcher) ?? [];
      const ends = [
        { direction: 'Outbound' as const, vm: vmAt.get(flow.source), local: flow.source, remote: flow.destination, localPort: '*', remotePort: String(flow.port) },
        { direction: 'Inbound' as const, vm: vmAt.get(flow.destination), local: flow.destination, remote: addressOf(flow.request.source), localPort: String(flow.port), remotePort: '*' },
      ];
      for (const end of ends) {
        const attach = end.vm && 'vnet' in end.vm.attach ? end.vm.attach : undefined;
        if (!end.vm || !attach) continue;
        // The VM's own NIC and its subnet, as IP flow verify weighs them.
        const ids = [`nic:${end.vm.name}`, `subnet:${attach.vnet}/${attach.subnet}`];
        const decided = flow.request.screened.filter((d) => d.direction === end.direction && ids.includes(d.at.id));
        if (decided.length === 0) continue;
        const key = `${end.vm.name} ${end.direction} ${end.remote} ${flow.protocol} ${flow.port}`;
        if (asked.has(key)) continue;
        asked.add(key);
        const denied = decided.find((d) => !d.allowed);
        const want = denied ? 'Deny' : 'Allow';
        const rule = (denied ?? decided.at(-1))!;
        const subject = `${end.vm.name} ${end.direction.toLowerCase()} ${end.remote} ${flow.protocol.toUpperCase()} ${flow.port}`;
        const got = await read('ip-flow', subject, want, () =>
          client.networkWatchers.beginVerifyIPFlowAndWait(rg!, name!, { targetResourceId: `/subscriptions/${options.subscription}/resourceGroups/${test}/providers/Microsoft.Compute/virtualMachines/${end.vm!.name}`, direction: end.direction, protocol: flow.protocol.toUpperCase(), localPort: end.localPort, remotePort: end.remotePort, localIPAddress: end.local, remoteIPAddress: end.remote }, lro),
        );
        if (got) findings.push({ check: 'ip-flow', subject, ok: got.access === want, expected: `${want} (${isDefault(rule.rule) ? 'defaultSecurityRules' : 'securityRules'}/${rule.rule} of ${rule.nsg})`, seen: azureText(`${got.access ?? '?'}${got.ruleName ? ` (${got.ruleName})` : ''}`), intent: result.intent.name });
      }
    }
  }
  return findings;
}

const isDefault = (rule: string) => NSG_DEFAULT_RULES.some((r) => r.name === rule);

/** A walk's source address as text. */
function addressOf(a: { version: 4 | 6; value: bigint }): string {
  return formatAddress(a.value, a.version);
}

/** Azure's next hop type (and address) for a predicted route's next hop. */
function azureHop(hop: NextHop): { type: string; ip?: string } {
  switch (hop.kind) {
    case 'appliance':
      return { type: 'VirtualAppliance', ...(hop.address ? { ip: hop.address } : {}) };
    case 'virtual-network-gateway':
    case 'app-gateway':
      return { type: 'VirtualNetworkGateway' };
    case 'vnet-peering':
      return { type: 'VNetPeering' };
    case 'vnet-local':
      return { type: 'VnetLocal' };
    case 'none':
      return { type: 'None' };
    case 'internet':
    case 'app-internet':
    case 'internet-gateway':
      return { type: 'Internet' };
    default:
      // Gateways' own routes (tunnels, BGP, ExpressRoute): not in a NIC's effective routes.
      return { type: nextHopText(hop).split(' ')[0]! };
  }
}

function describe(r: EffectiveRoute): string {
  return azureText(`${r.nextHopType ?? '?'}${r.nextHopIpAddress?.length ? ` ${r.nextHopIpAddress.join(',')}` : ''} (${r.source ?? '?'})`);
}

/** The findings as a table: check, subject, result, expected, seen. */
export function verifyTable(findings: readonly AzureFinding[]): string {
  const rows = findings.map((f) => [f.check, f.subject, f.ok ? 'MATCH' : 'DIFFERS', f.expected, f.seen + (f.intent ? ` (intent ${f.intent})` : '')]);
  const head = ['check', 'subject', 'result', 'expected', 'seen'];
  const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const bad = findings.filter((f) => !f.ok).length;
  return `${[line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n\n${bad === 0 ? `Azure matches the prediction (${findings.length} checks).` : `${bad} of ${findings.length} checks differ from the prediction.`}\n`;
}
