/**
 * What to ask Azure once everything is deployed, each question with the answer the route
 * simulation predicts: the routes each VPN and ExpressRoute gateway has learned (the lesson of the
 * co-existence walkthrough: the ExpressRoute gateway must learn the VPN branch's whole range),
 * Route Server's branch-to-branch, the gateways' BGP peers, each connection's status, the next hop
 * toward a range a route table sends to a firewall, and the web app's own path (App Service's
 * console through the Kudu command API). One list feeds VERIFY.md and verify-azure.sh, so the
 * checklist and the script ask the same questions.
 *
 * Sources: learn.microsoft.com, az network vnet-gateway list-learned-routes / list-bgp-peer-status
 * / vpn-client show-health, az network vpn-connection show, az network routeserver show,
 * az network watcher show-next-hop; Kudu's REST API (POST /api/command), which takes a Resource
 * Manager bearer token (github.com/projectkudu/ARMClient wiki: an ARM token reaches the Kudu (SCM)
 * APIs), hence `az rest --resource <the cloud's Resource Manager>`; App Service's networking
 * troubleshooting (tcpping in the console). The Kudu host is read from the user's own app
 * (`az webapp show`: the Repository host name), never built from the app's name: app names are
 * global, and a token must not go to a site someone else owns.
 */
import { AZURE_CLOUD_TABLE, addressGroupPrefixes, LISTENER_PORTS, probePort, serviceTcpPort, connectionTunnels, parsePrefix, resourceGroup, type ContextIntent, type ContextRouteSet, type Firewall, type TestEndpoint, type Topology, type TopologyIndex } from '@hybridnet/model';
import { covers, firewallRoutes } from './paths.ts';
import { shString } from '@hybridnet/render';

export type Expectation =
  /** Every one of these lines is in the answer. */
  | { readonly all: readonly string[] }
  /** The answer is exactly this. */
  | { readonly equals: string }
  /** The answer contains this text. */
  | { readonly contains: string }
  /** Some line of the answer is an IPv4 address inside this prefix. */
  | { readonly inPrefix: string };

export interface AzureCheck {
  readonly title: string;
  /** An az (or aws) command line, quoted for sh, that prints the answer. */
  readonly command: string;
  readonly expect: Expectation;
  /** The App Service app whose own path the check tests from the app itself. */
  readonly app?: string;
  /** The intent it tests. */
  readonly intent?: string;
}

/** A TCP connection to make toward one target: to a test endpoint's listener, or to an address the intent names. */
export interface Probe {
  readonly target: string;
  readonly address: string;
  /** A TCP connection to `port`, or an ICMP echo (ping; `port` 0). */
  readonly protocol: 'tcp' | 'icmp';
  readonly port: number;
  /** Whether it must open (false for isolate). */
  readonly open: boolean;
  readonly intent?: string;
}

/** An intent's target that no probe can test after deploy, and why. */
export interface Untestable {
  readonly intent: string;
  readonly target: string;
  readonly why: string;
}

/** A single IPv4 address written as an intent target (`203.0.113.10` or `203.0.113.10/32`). */
export function targetAddress(target: string): string | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/32)?$/.exec(target);
  return m && parsePrefix(`${m[1]}/32`).ok ? m[1] : undefined;
}

/**
 * What to probe for each target of the intents that start at `source` (an app, or a test endpoint
 * for the firewall's requests): the test endpoints at the target, else the address the target
 * names; a target that is neither (a range, a group, a site without a test machine) is untestable,
 * said with its reason.
 */
export function intentProbes(topology: Topology, index: TopologyIndex, source: string, intents: readonly ContextIntent[], skipEndpoints = false): { probes: Probe[]; untestable: Untestable[] } {
  const endpoints = new Map(topology.testEndpoints.filter((t) => t.privateIp).map((t) => [t.name, t]));
  const probes: Probe[] = [];
  const untestable: Untestable[] = [];
  for (const intent of intents.filter((i) => i.from === source || i.sourceEndpoints.includes(source))) {
    intent.to.forEach((target, j) => {
      const open = intent.kind !== 'isolate';
      // The checks open TCP connections or ping; UDP has no handshake to see, and the web app's console pings nothing.
      const fromApp = topology.azure.appServices.some((a) => a.name === source);
      if (intent.protocol === 'udp' || (intent.protocol === 'icmp' && fromApp)) {
        untestable.push({ intent: intent.name, target, why: intent.protocol === 'udp' ? 'UDP: the checks see a TCP handshake or an ICMP echo, and UDP has neither (validate proves it on the simulated path)' : "ICMP from a web app: App Service's console offers tcpping only (validate proves it on the simulated path)" });
        return;
      }
      const protocol = intent.protocol === 'icmp' ? 'icmp' : 'tcp';
      const at = (intent.targetEndpoints[j] ?? []).flatMap((name) => (endpoints.has(name) && name !== source ? [endpoints.get(name)!] : []));
      if (at.length > 0) {
        if (!skipEndpoints) for (const t of at) probes.push({ target: `${t.name} (${t.privateIp})`, address: t.privateIp!, protocol, port: protocol === 'icmp' ? 0 : (intent.port ?? probePort(topology, index, intent.via, t.privateIp!)), open, intent: intent.name });
        return;
      }
      const address = targetAddress(target);
      if (address) probes.push({ target: address, address, protocol, port: protocol === 'icmp' ? 0 : (intent.port ?? probePort(topology, index, intent.via, address)), open, intent: intent.name });
      else untestable.push({ intent: intent.name, target, why: `no test endpoint or address at ${target}: add a test endpoint there, or name a live address as the target (to: [a.b.c.d])` });
    });
  }
  return { probes, untestable };
}

/** The web app's probes: its intents' targets; without intents, each on-premises test machine its routes reach. */
function appProbes(topology: Topology, index: TopologyIndex, app: string, sets: readonly ContextRouteSet[], intents: readonly ContextIntent[]): Probe[] {
  if (intents.length > 0) return intentProbes(topology, index, app, intents).probes;
  const appSet = sets.find((s) => s.kind === 'app-service' && s.name === app);
  return topology.testEndpoints
    .filter((t) => 'site' in t.attach && t.privateIp && (appSet?.routes ?? []).some((r) => r.hop.kind !== 'internet' && r.hop.kind !== 'none' && covers(r.prefix, t.privateIp!)))
    .map((t) => ({ target: `${t.name} (${t.privateIp})`, address: t.privateIp!, protocol: 'tcp' as const, port: LISTENER_PORTS[t.os], open: true }));
}



/** Routes a gateway learns from outside its own VNets: what `list-learned-routes` must show. */
const learned = (set: ContextRouteSet) => [...new Set(set.routes.filter((r) => !['vnet', 'peered-vnet', 'p2s-pool'].includes(r.origin)).map((r) => r.prefix))];

/** An address to ask about inside a prefix: its first host (the network address itself for /31 and /32). */
function sampleAddress(prefix: string): string | undefined {
  const p = parsePrefix(prefix);
  if (!p.ok || p.value.version !== 4) return undefined;
  const n = p.value.first + (p.value.last - p.value.first >= 2n ? 1n : 0n);
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');
}

export function azureChecks(topology: Topology, index: TopologyIndex, sets: readonly ContextRouteSet[], intents: readonly ContextIntent[] = []): AzureCheck[] {
  const group = shString(resourceGroup(topology, 'network'));
  const checks: AzureCheck[] = [];

  for (const set of sets.filter((s) => s.kind === 'vpn-gateway' || s.kind === 'expressroute-gateway')) {
    const routes = learned(set);
    if (routes.length === 0) continue;
    const what = set.kind === 'vpn-gateway' ? 'VPN gateway' : 'ExpressRoute gateway';
    checks.push({ title: `${what} ${set.name} has learned ${routes.join(', ')}`, command: `az network vnet-gateway list-learned-routes --resource-group ${group} --name ${shString(set.name)} --query 'value[].network' --output tsv`, expect: { all: routes } });
  }

  for (const vnet of topology.azure.vnets) {
    const rs = vnet.routeServer;
    if (rs) checks.push({ title: `Route Server ${rs.name} has branch-to-branch ${rs.branchToBranch ? 'on' : 'off'}`, command: `az network routeserver show --resource-group ${group} --name ${shString(rs.name)} --query allowBranchToBranchTraffic --output tsv`, expect: { equals: String(rs.branchToBranch) } });
  }

  // BGP sessions: each site peer of a BGP gateway is Connected once per tunnel (one per gateway
  // instance it ends on), so a single tunnel to an active-active gateway shows.
  for (const c of topology.connections) {
    if (c.type !== 'site-to-site' || !c.bgp) continue;
    const peer = index.sites.get(c.site)?.value.bgp?.peerIp;
    if (!peer || !index.vpnGateways.get(c.gateway)?.value.bgp) continue;
    const tunnels = connectionTunnels(c, index).length;
    checks.push({
      title: `VPN gateway ${c.gateway} has ${tunnels} BGP session${tunnels > 1 ? 's' : ''} with ${peer} (${c.name}) Connected`,
      command: `az network vnet-gateway list-bgp-peer-status --resource-group ${group} --name ${shString(c.gateway)} --query ${shString(`length(value[?state=='Connected' && neighbor=='${peer}'])`)} --output tsv`,
      expect: { equals: String(tunnels) },
    });
  }

  for (const c of topology.connections.filter((x) => x.type !== 'expressroute')) {
    checks.push({ title: `connection ${c.name} is Connected`, command: `az network vpn-connection show --resource-group ${group} --name ${shString(c.name)} --query connectionStatus --output tsv`, expect: { equals: 'Connected' } });
  }

  // The firewall path: for a test VM behind a route table, Azure's next hop toward each range the
  // table sends to a firewall is that firewall.
  for (const { endpoint: t, prefix, firewall: fw } of firewalledEndpoints(topology, index)) {
    const target = sampleAddress(prefix);
    if (!t.privateIp || !target) continue;
    checks.push({
      title: `from ${t.name}, Azure's next hop toward ${prefix} (${target}) is firewall ${fw.name} (${fw.privateIp})`,
      command: `az network watcher show-next-hop --resource-group ${shString(resourceGroup(topology, 'test'))} --vm ${shString(t.name)} --source-ip ${t.privateIp} --dest-ip ${target} --query '[nextHopType, nextHopIpAddress]' --output tsv`,
      expect: { equals: `VirtualAppliance\t${fw.privateIp}` },
    });
  }

  // The web app's own path: App Service's console (Kudu's command API, with the az sign-in) opens a
  // TCP connection to each target of each intent from the app (must not, for isolate); without
  // intents, to each on-premises test machine the app's routes reach.
  for (const app of topology.azure.appServices) {
    for (const probe of appProbes(topology, index, app.name, sets, intents)) {
      const body = JSON.stringify({ command: `tcpping ${probe.address}:${probe.port}`, dir: 'site' });
      checks.push({
        title: `web app ${app.name} ${probe.open ? 'opens' : 'cannot open'} TCP ${probe.port} on ${probe.target}${probe.intent ? ` (intent ${probe.intent})` : ''}`,
        command: `kudu=$(az webapp show --resource-group ${shString(resourceGroup(topology, 'app'))} --name ${shString(app.name)} --query ${shString("hostNameSslStates[?hostType=='Repository'].name | [0]")} --output tsv) && az rest --method post --resource ${shString(`${AZURE_CLOUD_TABLE[topology.azure.cloud].resourceManager}/`)} --url "https://$kudu/api/command" --body ${shString(body)} --query Output --output tsv`,
        // tcpping ends with "Complete: <n>/<tries> successful attempts": none for a path that must stay closed (a line that proves it ran).
        expect: probe.open ? { contains: 'Connected to' } : { contains: 'Complete: 0/' },
        app: app.name,
        ...(probe.intent ? { intent: probe.intent } : {}),
      });
    }
    const i = app.integration;
    const gateway = i.type === 'gateway-required' ? index.vnets.get(i.vnet)?.value.vpnGateway : undefined;
    const pool = gateway?.pointToSite?.addressPool[0];
    if (gateway && pool) {
      // Gateway-required: the app is a point-to-site client, so on premises its requests come from the pool.
      checks.push({ title: `web app ${app.name} is a point-to-site client of ${gateway.name} with an address in ${pool}`, command: `az network vnet-gateway vpn-client show-health --resource-group ${group} --name ${shString(gateway.name)} --query 'value[].privateIpAddress' --output tsv`, expect: { inPrefix: pool } });
    }
  }
  return checks;
}

/** Each Azure test VM behind a route table, with each range that table sends to a firewall. */
function firewalledEndpoints(topology: Topology, index: TopologyIndex): { endpoint: TestEndpoint; prefix: string; firewall: Firewall }[] {
  return topology.testEndpoints.flatMap((endpoint) => {
    const attach = endpoint.attach;
    if (!('vnet' in attach)) return [];
    const subnet = index.vnets.get(attach.vnet)?.value.subnets.find((s) => s.name === attach.subnet);
    return firewallRoutes(subnet, index).flatMap(({ prefix, firewall }) => {
      const fw = topology.azure.firewalls.find((f) => f.name === firewall);
      return fw ? [{ endpoint, prefix, firewall: fw }] : [];
    });
  });
}

/** The expectation in words, for VERIFY.md. */
export function expectation(e: Expectation): string {
  if ('all' in e) return `lists ${e.all.map((x) => `\`${x}\``).join(', ')}`;
  if ('equals' in e) return `prints \`${e.equals.replace(/\t/g, ' ')}\``;
  if ('contains' in e) return `says \`${e.contains}\``;
  return `lists an address in \`${e.inPrefix}\``;
}

/**
 * verify-azure.sh: each check prints PASS or FAIL with what was expected and what was seen; exit 1
 * on any FAIL. It reads only: no command here changes anything or prints a secret.
 */
export function verifyAzureScript(topology: Topology, checks: readonly AzureCheck[]): string {
  const call = (c: AzureCheck) => {
    const title = shString(c.title);
    const e = c.expect;
    const verb = 'all' in e ? `has_all ${title} "$seen" ${e.all.map(shString).join(' ')}` : 'equals' in e ? `equals ${title} "$seen" ${shString(e.equals)}` : 'contains' in e ? `contains ${title} "$seen" ${shString(e.contains)}` : inPrefixCall(title, e.inPrefix);
    return [`seen=$({ ${c.command}; } 2>&1)`, verb];
  };
  return [
    '#!/bin/sh',
    `# What Azure has for topology ${topology.name.replace(/[\r\n]/g, ' ')}, checked against what hybridnet predicts. Run where az is signed in.`,
    '# One PASS or FAIL line per check, with what was expected and what was seen; exit 1 on any FAIL.',
    '# It only reads: nothing here changes a resource or prints a secret.',
    'set -u',
    'failures=0',
    'report() {',
    '  if [ "$1" = ok ]; then echo "PASS $2"; else echo "FAIL $2"; failures=$((failures + 1)); fi',
    '}',
    "oneline() { printf '%s' \"$1\" | tr '\\t\\n' '  '; }",
    '# has_all <title> <seen> <expected>...: every expected line is among the lines seen',
    'has_all() {',
    '  title=$1; seen=$2; shift 2; missing=""',
    '  for want in "$@"; do',
    "    printf '%s\\n' \"$seen\" | grep -qxF -- \"$want\" || missing=\"$missing $want\"",
    '  done',
    '  if [ -z "$missing" ]; then report ok "$title (seen: $(oneline "$seen"))"; else report no "$title: missing$missing (seen: $(oneline "$seen"))"; fi',
    '}',
    'equals() {',
    '  if [ "$2" = "$3" ]; then report ok "$1"; else report no "$1: expected $(oneline "$3"), seen $(oneline "${2:-nothing}")"; fi',
    '}',
    'contains() {',
    '  case "$2" in *"$3"*) report ok "$1" ;; *) report no "$1: expected \\"$3\\", seen $(oneline "${2:-nothing}")" ;; esac',
    '}',
    '# in_prefix <title> <seen> <network> <length>: some line seen is an IPv4 address in network/length',
    'in_prefix() {',
    "  if printf '%s\\n' \"$2\" | awk -v net=\"$3\" -v len=\"$4\" 'function n(ip, o) { if (split(ip, o, \".\") != 4) return -1; return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] } BEGIN { size = 2 ^ (32 - len); base = int(n(net) / size) } { x = n($1); if (x >= 0 && int(x / size) == base) found = 1 } END { exit found ? 0 : 1 }'; then",
    '    report ok "$1 (seen: $(oneline "$2"))"',
    '  else',
    '    report no "$1: none in $3/$4 (seen: $(oneline "${2:-nothing}"))"',
    '  fi',
    '}',
    '',
    ...checks.flatMap(call),
    '',
    'echo "$failures failed"',
    '[ "$failures" -eq 0 ]',
    '',
  ].join('\n');
}

const inPrefixCall = (title: string, prefix: string) => {
  const [network, length] = prefix.split('/');
  return `in_prefix ${title} "$seen" ${network} ${length}`;
};

/** Test machines a data-plane check between two sites needs, said plainly when the topology has none there. */
export function missingBranchEndpoints(topology: Topology, index: TopologyIndex): string[] {
  const connected = new Set(topology.connections.flatMap((c) => (c.type === 'vnet-to-vnet' ? [] : [c.site])));
  const sites = [...connected].filter((s) => index.sites.has(s));
  if (sites.length < 2) return [];
  return sites.filter((s) => !topology.testEndpoints.some((t) => 'site' in t.attach && t.attach.site === s));
}


/** A request through a firewall that a person makes from a test VM: toward a live address of the range, on the port the firewall's rule passes. */
export interface FirewallProbe {
  readonly from: string;
  readonly os: 'windows' | 'linux';
  readonly prefix: string;
  readonly firewall: string;
  readonly port: number;
  readonly rule?: string;
}

/** For each test VM behind a route table toward a firewall: the request to make, and the rule's port (443 when none names a known service). */
export function firewallProbes(topology: Topology, index: TopologyIndex): FirewallProbe[] {
  const probes: FirewallProbe[] = [];
  for (const { endpoint: t, prefix, firewall: fw } of firewalledEndpoints(topology, index)) {
    const groups = new Map(fw.addressGroups.map((g) => [g.name, addressGroupPrefixes(g, index)]));
    const rule = fw.rules.find((r) => r.action !== 'block' && r.destination.some((d) => (groups.get(d) ?? [d]).includes(prefix)) && r.services.some((svc) => serviceTcpPort(svc) !== undefined));
    const port = rule ? serviceTcpPort(rule.services.find((svc) => serviceTcpPort(svc) !== undefined)!)! : 443;
    probes.push({ from: t.name, os: t.os, prefix, firewall: fw.name, port, ...(rule ? { rule: rule.name } : {}) });
  }
  return probes;
}
