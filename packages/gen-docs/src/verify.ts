/**
 * The verification plan: what Azure must have (learned routes, BGP sessions, connections, next
 * hops, the web app's path: verify-azure.sh, run where az is signed in); for each pair of test
 * endpoints that should reach each other (both directions covered by the routes the simulation
 * predicts), a TCP connection from each side to the listener every image has (RDP on Windows, SSH
 * on Linux: Windows drops ICMP by default); on each RRAS server its interfaces, BGP sessions and
 * weights. As a checklist (VERIFY.md) and as scripts (verify-azure.sh; verify.ps1 for Windows and
 * verify.sh for Linux endpoints). Each script prints PASS or FAIL per line and exits 1 on any FAIL.
 */
import { connectionTunnels, LISTENER_PORTS, rrasInterfaceName, type ContextIntent, type ContextRouteSet, type SiteToSiteConnection, type TestEndpoint, type Topology, type TopologyIndex } from '@hybridnet/model';
import { mdText, psString, shString } from '@hybridnet/render';
import { covers } from './paths.ts';
import { azureChecks, expectation, firewallProbes, intentProbes, missingBranchEndpoints, verifyAzureScript, type Untestable } from './azure-checks.ts';

export interface Reach {
  readonly from: TestEndpoint;
  /** A test endpoint's listener, or an address an intent names (on the port its firewall rule passes). */
  readonly to: { readonly name: string; readonly address: string; readonly protocol: 'tcp' | 'icmp'; readonly port: number; readonly where?: string };
  /** Whether the connection must open (false: an isolate intent says it must not). */
  readonly expect: boolean;
  /** The intent this pair tests, when the topology declares intents. */
  readonly intent?: string;
}

const where = (t: TestEndpoint) => ('vnet' in t.attach ? `${t.attach.vnet}/${t.attach.subnet}` : `site ${t.attach.site}`);
const toEndpoint = (t: TestEndpoint): Reach['to'] => ({ name: t.name, address: t.privateIp!, protocol: 'tcp', port: LISTENER_PORTS[t.os], where: where(t) });
/** What a check sends: `TCP 443`, or `ICMP` (ping). */
const sent = (to: Reach['to']) => (to.protocol === 'icmp' ? 'ICMP' : `TCP ${to.port}`);

/** Whether traffic from an endpoint toward an address has a route that goes somewhere. */
function routes(topology: Topology, sets: readonly ContextRouteSet[], from: TestEndpoint, ip: string): boolean {
  const attach = from.attach;
  if ('vnet' in attach) {
    const set = sets.find((s) => s.kind === 'subnet' && s.name === `${attach.vnet}/${attach.subnet}`);
    const best = (set?.routes ?? []).filter((r) => r.active && covers(r.prefix, ip)).sort((a, b) => Number(b.prefix.split('/')[1]) - Number(a.prefix.split('/')[1]))[0];
    return Boolean(best && best.hop.kind !== 'none' && best.hop.kind !== 'internet');
  }
  const site = topology.sites.find((s) => 'site' in from.attach && s.name === from.attach.site);
  if (!site) return false;
  if (site.lan.some((p) => covers(p, ip))) return true;
  return (sets.find((s) => s.kind === 'site' && s.name === site.name)?.routes ?? []).some((r) => r.origin !== 'system' && covers(r.prefix, ip)); // not by a VPC's default route to its Internet gateway
}

/**
 * The connections to test from test endpoints: with intents, exactly theirs (from each test
 * endpoint at an intent's source to each test endpoint at its targets, or to the address a target
 * names; must open for reach and symmetric, must not for isolate); without, every pair of test
 * endpoints the simulation routes both ways.
 */
export function reachablePairs(topology: Topology, index: TopologyIndex, sets: readonly ContextRouteSet[], intents: readonly ContextIntent[] = []): Reach[] {
  const endpoints = topology.testEndpoints.filter((t) => t.privateIp);
  const pairs: Reach[] = [];
  if (intents.length > 0) {
    const seen = new Set<string>();
    for (const from of endpoints) {
      for (const p of intentProbes(topology, index, from.name, intents).probes) {
        const key = `${from.name}>${p.address}:${p.protocol}/${p.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const at = endpoints.find((t) => t.privateIp === p.address);
        pairs.push({ from, to: at ? { ...toEndpoint(at), protocol: p.protocol, port: p.port } : { name: p.address, address: p.address, protocol: p.protocol, port: p.port }, expect: p.open, ...(p.intent ? { intent: p.intent } : {}) });
      }
    }
    return pairs;
  }
  for (const a of endpoints) for (const b of endpoints) if (a !== b && routes(topology, sets, a, b.privateIp!) && routes(topology, sets, b, a.privateIp!)) pairs.push({ from: a, to: toEndpoint(b), expect: true });
  return pairs;
}

/** Each intent's ends that nothing tests after deploy, with the reason. */
function untestable(topology: Topology, index: TopologyIndex, intents: readonly ContextIntent[]): Untestable[] {
  const apps = new Set(topology.azure.appServices.map((a) => a.name));
  const sources = new Set(topology.testEndpoints.filter((t) => t.privateIp).map((t) => t.name));
  return intents.flatMap((i) => {
    const from = [...(apps.has(i.from) ? [i.from] : []), ...i.sourceEndpoints.filter((e) => sources.has(e))];
    if (from.length === 0) return [{ intent: i.name, target: i.to.join(', '), why: `no test endpoint or App Service app at its source ${i.from}: add a test endpoint there` }];
    // A target is untested when no source can test it.
    const missing = i.to.filter((target) => from.every((f) => intentProbes(topology, index, f, [i]).untestable.some((u) => u.target === target)));
    return missing.map((target) => ({ intent: i.name, target, why: intentProbes(topology, index, from[0]!, [i]).untestable.find((u) => u.target === target)!.why }));
  });
}

export function verifyFiles(topology: Topology, index: TopologyIndex, sets: readonly ContextRouteSet[], intents: readonly ContextIntent[] = []): { path: string; content: string }[] {
  const pairs = reachablePairs(topology, index, sets, intents);
  // The ports others probe on a test endpoint that its image does not listen on (an intent's own
  // port): it listens there while they check, so a closed port means the network, not an idle host.
  // Windows drops pings unless let in: its listener opens ICMP echo in Windows Firewall ('ICMP').
  const listens = new Map<string, (number | 'ICMP')[]>();
  for (const p of pairs) {
    const at = topology.testEndpoints.find((t) => t.name === p.to.name && t.privateIp === p.to.address);
    const what = p.to.protocol === 'icmp' ? (at?.os === 'windows' ? 'ICMP' : undefined) : p.to.port;
    if (!at || what === undefined || what === LISTENER_PORTS[at.os]) continue;
    const ports = listens.get(at.name) ?? listens.set(at.name, []).get(at.name)!;
    if (!ports.includes(what)) ports.push(what);
  }
  // Every test endpoint is known to the scripts (DEPLOY.md tells how to run them on each), even one with nothing to check.
  const sources = topology.testEndpoints.filter((t) => t.privateIp);
  const checks = azureChecks(topology, index, sets, intents);
  const md: string[] = [`# Verifying ${mdText(topology.name)}`, '', 'Each line must hold once everything is deployed.', ''];
  if (checks.length > 0) {
    md.push('## What Azure has (`sh verify-azure.sh`)', '', 'Run `sh verify-azure.sh` where az is signed in: it asks each question below and prints PASS or FAIL with what it expected and what it saw, and exits 1 on any FAIL. A web app is tested from the app itself, through App Service\'s console (its Kudu site, found from your own app).', '');
    for (const c of checks) md.push(`- [ ] ${mdText(c.title)}: \`${c.command}\` ${expectation(c.expect)}`);
    md.push('');
  }
  md.push(intents.length > 0 ? '## Intents (TCP from test endpoints)' : '## Reachability (TCP, from the route simulation)', '');
  if (intents.length > 0) md.push('Each line tests one declared intent from a test endpoint at its source (validate already proved it on the simulated routes; `hybridnet routes <topology> --trace <intent>` shows the path).', '');
  if (pairs.length === 0) md.push(intents.length > 0 ? 'No intent has a test endpoint with a fixed address at its source and a test endpoint or an address at a target.' : 'No two test endpoints with fixed addresses are expected to reach each other.', '');
  else md.push('Each endpoint pings for an ICMP intent, else opens a TCP connection on the port the intent names, else to the listener every image has (RDP 3389 on Windows, SSH 22 on Linux; Windows drops ping by default), or to an address an intent names, on the port its firewall rule passes. `verify.ps1` and `verify.sh` run the checks of one endpoint and print PASS or FAIL for each.', '');
  if (listens.size > 0) {
    md.push('First start a listener where an intent names a port the image does not listen on, and leave it running while the others check (Ctrl-C ends it):', '');
    for (const [name, ports] of listens) {
      const t = topology.testEndpoints.find((e) => e.name === name)!;
      md.push(`- [ ] on ${mdText(name)}: \`${t.os === 'windows' ? `.\\verify.ps1 -Listen ${psString(name)}` : `sudo sh verify.sh --listen ${shString(name)}`}\` (${ports.map((x) => (x === 'ICMP' ? 'ICMP echo' : `TCP ${x}`)).join(', ')})`);
    }
    md.push('');
  }
  for (const p of pairs) md.push(`- [ ] ${p.intent ? `intent ${mdText(p.intent)}: ` : ''}from ${mdText(p.from.name)} (${p.from.privateIp}, ${mdText(where(p.from))}) ${p.expect ? 'reach' : 'never reach'} ${p.to.where ? `${mdText(p.to.name)} (${p.to.address}, ${mdText(p.to.where)})` : p.to.address} on ${sent(p.to)}: \`${p.from.os === 'windows' ? `.\\verify.ps1 -From ${psString(p.from.name)}` : `sh verify.sh ${shString(p.from.name)}`}\``);
  const notTested = untestable(topology, index, intents);
  const gap = () => (md.at(-1) === '' ? [] : ['']);
  if (notTested.length > 0) md.push(...gap(), 'Not tested after deploy (validate proves them on the simulated routes only):', '', ...notTested.map((u) => `- intent ${mdText(u.intent)} toward ${mdText(u.target)}: ${mdText(u.why)}`));
  md.push('');
  if (intents.length === 0) {
    const firewalled = [...new Set(firewallProbes(topology, index).map((p) => `${p.from} → ${p.prefix} through ${p.firewall}`))];
    if (firewalled.length > 0) md.push('## Through the firewall', '', `hybridnet knows these ranges, not their servers: to test ${firewalled.map(mdText).join('; ')}, declare an intent with \`via:\` the firewall and a live address as its target (\`to: [a.b.c.d]\`); the checks above then include it.`, '');
  }
  const missing = intents.length > 0 ? [] : missingBranchEndpoints(topology, index);
  if (missing.length > 0) md.push(`To test traffic between the sites themselves (branch to branch), add a test endpoint on ${missing.map((s) => `site ${mdText(s)}`).join(' and ')} (\`testEndpoints: [{attach: {site: …}, privateIp: …}]\`): a machine you provide there; hybridnet then adds its checks.`, '');

  const s2s = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && index.sites.get(c.site)?.value.device.type === 'rras');
  if (s2s.length > 0) {
    md.push('## RRAS servers', '');
    for (const c of s2s) {
      const site = index.sites.get(c.site)!.value;
      for (const t of connectionTunnels(c, index)) {
        const name = rrasInterfaceName(c.gateway, t.instance);
        md.push(`- [ ] on ${mdText(site.name)}: \`(Get-VpnS2SInterface -Name ${psString(name)}).ConnectionState\` is Connected`);
        if (c.bgp && site.bgp) {
          md.push(`- [ ] on ${mdText(site.name)}: \`(Get-BgpPeer -Name ${psString(name)}).ConnectivityStatus\` is Connected`);
          md.push(`- [ ] on ${mdText(site.name)}: \`(Get-BgpPeer -Name ${psString(name)}).Weight\` is ${t.weight ?? 0}`);
        }
      }
    }
    md.push('');
  }

  const ps = [
    '<#',
    `.SYNOPSIS`,
    `    Reachability checks of topology ${topology.name.replace(/#>/g, '')} from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.`,
    '#>',
    // The listener only where an intent names a port some endpoint's image does not listen on.
    ...(listens.size === 0 ? ['[CmdletBinding()]', 'param(', '    [Parameter(Mandatory = $true)]', '    [string] $From', ')', ''] : [
    '[CmdletBinding(DefaultParameterSetName = \'From\')]',
    'param(',
    '    [Parameter(Mandatory = $true, ParameterSetName = \'From\')]',
    '    [string] $From,',
    '    # Listen on the ports the other endpoints probe here (an intent\'s own port), until Ctrl-C.',
    '    [Parameter(Mandatory = $true, ParameterSetName = \'Listen\')]',
    '    [string] $Listen',
    ')',
    '',
    '$listens = @{',
    ...sources.map((s) => `    ${psString(s.name)} = @(${(listens.get(s.name) ?? []).map((x) => (x === 'ICMP' ? "'ICMP'" : String(x))).join(', ')})`),
    '}',
    'if ($PSCmdlet.ParameterSetName -eq \'Listen\') {',
    '    if (-not $listens.ContainsKey($Listen) -or $listens[$Listen].Count -eq 0) {',
    '        Write-Output "nothing to listen for on $Listen"',
    '        exit 2',
    '    }',
    '    if ($listens[$Listen] -contains \'ICMP\') {',
    '        # Windows Firewall drops pings (ICMPv4 echo requests) unless a rule lets them in.',
    '        New-NetFirewallRule -DisplayName "hybridnet verify ICMPv4 echo" -Direction Inbound -Protocol ICMPv4 -IcmpType 8 -Action Allow | Out-Null',
    '    }',
    '    $listeners = foreach ($port in @($listens[$Listen] | Where-Object { $_ -ne \'ICMP\' })) {',
    '        # Windows Firewall lets nothing in on a port of its own accord.',
    '        New-NetFirewallRule -DisplayName "hybridnet verify TCP $port" -Direction Inbound -Protocol TCP -LocalPort $port -Action Allow | Out-Null',
    '        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $port)',
    '        $listener.Start()',
    '        $listener',
    '    }',
    '    Write-Output "listening on TCP $($listens[$Listen] -join \', \'); Ctrl-C to stop"',
    '    while ($true) {',
    '        foreach ($listener in $listeners) {',
    '            if ($listener.Pending()) { $listener.AcceptTcpClient().Close() }',
    '        }',
    '        Start-Sleep -Milliseconds 100',
    '    }',
    '}',
    '']),
    '$checks = @{',
    ...sources.map((s) => `    ${psString(s.name)} = @(${pairs.filter((p) => p.from === s).map((p) => `@{ To = ${psString(p.to.name)}; Address = ${psString(p.to.address)}; ${p.to.protocol === 'icmp' ? "Protocol = 'ICMP'; " : ''}Port = ${p.to.port}; Open = $${p.expect} }`).join(', ')})`),
    '}',
    'if (-not $checks.ContainsKey($From)) {',
    `    Write-Output "unknown endpoint $From; known: $($checks.Keys -join ', ')"`,
    '    exit 2',
    '}',
    '$failures = 0',
    'foreach ($check in $checks[$From]) {',
    '    # A TCP connection to the port, or (an ICMP intent) a ping: Test-NetConnection without a port.',
    '    if ($check.Protocol -eq \'ICMP\') {',
    '        $open = Test-NetConnection -ComputerName $check.Address -InformationLevel Quiet -WarningAction SilentlyContinue',
    '        $what = \'ICMP\'',
    '    } else {',
    '        $open = Test-NetConnection -ComputerName $check.Address -Port $check.Port -InformationLevel Quiet -WarningAction SilentlyContinue',
    '        $what = "TCP $($check.Port)"',
    '    }',
    '    $verb = if ($open) { "reaches" } else { "does not reach" }',
    '    if ($open -eq $check.Open) {',
    '        Write-Output "PASS $From $verb $($check.To) ($($check.Address) $what)"',
    '    } else {',
    '        Write-Output "FAIL $From $verb $($check.To) ($($check.Address) $what), which must $(if ($check.Open) { "open" } else { "stay closed" })"',
    '        $failures++',
    '    }',
    '}',
    'if ($failures -gt 0) {',
    '    exit 1',
    '}',
    '',
  ];
  const sh = [
    '#!/bin/sh',
    `# Reachability checks of topology ${topology.name} from one test endpoint (a TCP connection to each peer's RDP or SSH listener); PASS/FAIL per line, exit 1 on any FAIL.`,
    listens.size === 0 ? '# Usage: sh verify.sh <endpoint>' : '# Usage: sh verify.sh <endpoint>, or sudo sh verify.sh --listen <endpoint> (listen on the ports the others probe there)',
    'set -u',
    ...(listens.size === 0 ? [] : [
    '# listen <port>...: accept TCP connections on each port until stopped (Ctrl-C)',
    'listen() {',
    "  exec python3 -c 'import socket, sys, threading",
    'def serve(port):',
    '    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
    '    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    '    s.bind(("0.0.0.0", port))',
    '    s.listen(16)',
    '    while True:',
    '        s.accept()[0].close()',
    'for p in sys.argv[1:]:',
    '    threading.Thread(target=serve, args=(int(p),), daemon=True).start()',
    'print("listening on TCP " + ", ".join(sys.argv[1:]) + "; Ctrl-C to stop", flush=True)',
    "threading.Event().wait()' \"$@\"",
    '}',
    'if [ "${1:-}" = --listen ]; then',
    '  case "${2:-}" in',
    ...[...listens].filter(([name]) => sources.find((t) => t.name === name)?.os !== 'windows').map(([name, ports]) => `    ${shString(name)}) listen ${ports.filter((x) => x !== 'ICMP').join(' ')} ;;`),
    `    *) echo "nothing to listen for on \${2:-}"; exit 2 ;;`,
    '  esac',
    'fi'
    ]),
    'failures=0',
    '# probe <address> <port|icmp>: a TCP connection opens (nc, else bash\'s /dev/tcp), or a ping is answered',
    'probe() {',
    '  if [ "$2" = icmp ]; then',
    '    ping -c 2 -W 2 "$1" >/dev/null 2>&1',
    '  elif command -v nc >/dev/null 2>&1; then',
    '    nc -z -w 3 "$1" "$2" >/dev/null 2>&1',
    '  else',
    '    # shellcheck disable=SC2016 # bash expands them, from its own arguments',
    '    timeout 3 bash -c \'exec 3<>"/dev/tcp/$1/$2"\' probe "$1" "$2" >/dev/null 2>&1',
    '  fi',
    '}',
    '# check <from> <address> <to> <port> <open|closed>: the connection must open, or stay closed',
    'check() {',
    '  if probe "$2" "$4"; then seen=open; verb=reaches; else seen=closed; verb="does not reach"; fi',
    '  if [ "$4" = icmp ]; then what=ICMP; else what="TCP $4"; fi',
    '  if [ "$seen" = "$5" ]; then',
    '    echo "PASS $1 $verb $3 ($2 $what)"',
    '  else',
    '    echo "FAIL $1 $verb $3 ($2 $what), which must be $5"',
    '    failures=$((failures + 1))',
    '  fi',
    '}',
    'case "${1:-}" in',
    ...sources.flatMap((s) => {
      const own = pairs.filter((p) => p.from === s);
      return [`  ${shString(s.name)})`, ...(own.length > 0 ? own.map((p) => `    check ${shString(s.name)} ${shString(p.to.address)} ${shString(p.to.name)} ${p.to.protocol === 'icmp' ? 'icmp' : p.to.port} ${p.expect ? 'open' : 'closed'}`) : [`    echo ${shString(`nothing to check from ${s.name}`)}`]), '    ;;'];
    }),
    `  *) echo "unknown endpoint \${1:-}; known: ${sources.map((s) => s.name).join(', ')}"; exit 2 ;;`,
    'esac',
    '[ "$failures" -eq 0 ]',
    '',
  ];
  // A script only where it has something to check.
  return [
    { path: 'VERIFY.md', content: `${md.join('\n').trimEnd()}\n` },
    ...(checks.length > 0 ? [{ path: 'verify-azure.sh', content: verifyAzureScript(topology, checks) }] : []),
    ...(pairs.length > 0
      ? [
          { path: 'verify.ps1', content: ps.join('\n') },
          { path: 'verify.sh', content: sh.join('\n') },
        ]
      : []),
  ];
}
