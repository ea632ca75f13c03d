/**
 * The verification plan: what Azure must have (learned routes, BGP sessions, connections, next
 * hops, the web app's path: verify-azure.sh, run where az is signed in); for each pair of test
 * endpoints that should reach each other (both directions covered by the routes the simulation
 * predicts), a TCP connection from each side to the listener every image has (RDP on Windows, SSH
 * on Linux: Windows drops ICMP by default); on each RRAS server its interfaces, BGP sessions and
 * weights. As a checklist (VERIFY.md) and as scripts (verify-azure.sh; verify.ps1 for Windows and
 * verify.sh for Linux endpoints). Each script prints PASS or FAIL per line and exits 1 on any FAIL.
 */
import { connectionTunnels, rrasInterfaceName, type ContextIntent, type ContextRouteSet, type SiteToSiteConnection, type TestEndpoint, type Topology, type TopologyIndex } from '@hybridnet/model';
import { mdText, psString, shString } from '@hybridnet/render';
import { covers } from './paths.ts';
import { azureChecks, expectation, firewallProbes, LISTENER, missingBranchEndpoints, verifyAzureScript } from './azure-checks.ts';

export interface Reach {
  readonly from: TestEndpoint;
  readonly to: TestEndpoint;
  /** Whether the connection must open (false: an isolate intent says it must not). */
  readonly expect: boolean;
  /** The intent this pair tests, when the topology declares intents. */
  readonly intent?: string;
}

/** Whether traffic from an endpoint toward an address has a route that goes somewhere. */
function routes(topology: Topology, sets: readonly ContextRouteSet[], from: TestEndpoint, ip: string): boolean {
  const attach = from.attach;
  if ('vnet' in attach) {
    const set = sets.find((s) => s.kind === 'subnet' && s.name === `${attach.vnet}/${attach.subnet}`);
    const best = (set?.routes ?? []).filter((r) => r.active && covers(r.prefix, ip)).sort((a, b) => Number(b.prefix.split('/')[1]) - Number(a.prefix.split('/')[1]))[0];
    return Boolean(best && best.nextHop !== 'None' && best.nextHop !== 'Internet');
  }
  const site = topology.sites.find((s) => 'site' in from.attach && s.name === from.attach.site);
  if (!site) return false;
  if (site.lan.some((p) => covers(p, ip))) return true;
  return (sets.find((s) => s.kind === 'site' && s.name === site.name)?.routes ?? []).some((r) => covers(r.prefix, ip));
}

/**
 * The pairs to test: with intents, exactly theirs (each test endpoint at an intent's source to each
 * at its targets; must open for reach and symmetric, must not for isolate); without, every pair of
 * test endpoints the simulation routes both ways.
 */
export function reachablePairs(topology: Topology, sets: readonly ContextRouteSet[], intents: readonly ContextIntent[] = []): Reach[] {
  const endpoints = topology.testEndpoints.filter((t) => t.privateIp);
  const pairs: Reach[] = [];
  if (intents.length > 0) {
    const byName = new Map(endpoints.map((t) => [t.name, t]));
    const seen = new Set<string>();
    for (const i of intents) {
      for (const from of i.sourceEndpoints) {
        for (const to of i.targetEndpoints.flat()) {
          const a = byName.get(from);
          const b = byName.get(to);
          const key = `${from}>${to}`;
          if (!a || !b || a === b || seen.has(key)) continue;
          seen.add(key);
          pairs.push({ from: a, to: b, expect: i.kind !== 'isolate', intent: i.name });
        }
      }
    }
    return pairs;
  }
  for (const a of endpoints) for (const b of endpoints) if (a !== b && routes(topology, sets, a, b.privateIp!) && routes(topology, sets, b, a.privateIp!)) pairs.push({ from: a, to: b, expect: true });
  return pairs;
}

/** Intents no pair of test endpoints tests after deploy (and not tested otherwise), and where a test endpoint is missing. */
function untestable(intents: readonly ContextIntent[], pairs: readonly Reach[], elsewhere: (i: ContextIntent) => boolean): string[] {
  return intents
    .filter((i) => !pairs.some((p) => p.intent === i.name) && !elsewhere(i))
    .map((i) => `${i.name} (${i.sourceEndpoints.length === 0 ? `no test endpoint at ${i.from}` : `no test endpoint at ${i.to.filter((_, j) => i.targetEndpoints[j]!.length === 0).join(', ') || i.to.join(', ')}`})`);
}

export function verifyFiles(topology: Topology, index: TopologyIndex, sets: readonly ContextRouteSet[], intents: readonly ContextIntent[] = []): { path: string; content: string }[] {
  const pairs = reachablePairs(topology, sets, intents);
  const sources = [...new Set(pairs.map((p) => p.from))];
  const where = (t: TestEndpoint) => ('vnet' in t.attach ? `${t.attach.vnet}/${t.attach.subnet}` : `site ${t.attach.site}`);

  const checks = azureChecks(topology, index, sets);
  const md: string[] = [`# Verifying ${mdText(topology.name)}`, '', 'Each line must hold once everything is deployed.', ''];
  if (checks.length > 0) {
    md.push('## What Azure has (`sh verify-azure.sh`)', '', 'Run `sh verify-azure.sh` where az is signed in: it asks each question below and prints PASS or FAIL with what it expected and what it saw, and exits 1 on any FAIL.', '');
    for (const c of checks) md.push(`- [ ] ${mdText(c.title)}: \`${c.command}\` ${expectation(c.expect)}`);
    md.push('');
  }
  md.push(intents.length > 0 ? '## Intents (TCP between test endpoints)' : '## Reachability (TCP, from the route simulation)', '');
  if (intents.length > 0) md.push('Each line tests one declared intent between the test endpoints that stand at its ends (validate already proved it on the simulated routes; `hybridnet routes <topology> --trace <intent>` shows the path).', '');
  if (pairs.length === 0) md.push(intents.length > 0 ? 'No intent has a test endpoint with a fixed address at both ends.' : 'No two test endpoints with fixed addresses are expected to reach each other.', '');
  else md.push('Each endpoint opens a TCP connection to the listener every image has (RDP 3389 on Windows, SSH 22 on Linux; Windows drops ping by default). `verify.ps1` and `verify.sh` run the checks of one endpoint and print PASS or FAIL for each.', '');
  for (const p of pairs) md.push(`- [ ] ${p.intent ? `intent ${mdText(p.intent)}: ` : ''}from ${mdText(p.from.name)} (${p.from.privateIp}, ${mdText(where(p.from))}) ${p.expect ? 'reach' : 'never reach'} ${mdText(p.to.name)} (${p.to.privateIp}, ${mdText(where(p.to))}) on TCP ${LISTENER[p.to.os].port}: \`${p.from.os === 'windows' ? `.\\verify.ps1 -From ${psString(p.from.name)}` : `sh verify.sh ${shString(p.from.name)}`}\``);
  // An app's intents are tested from the app itself (verify-azure.sh), a firewall's toward public space by the probes below.
  const probes = firewallProbes(topology, index);
  const fromApp = (i: ContextIntent) => checks.some((c) => c.app === i.from);
  const probed = (i: ContextIntent) => i.via !== undefined && probes.some((p) => p.firewall === i.via);
  const elsewhere = intents.filter((i) => !pairs.some((p) => p.intent === i.name) && (fromApp(i) || probed(i)));
  const notTested = untestable(intents, pairs, (i) => fromApp(i) || probed(i));
  const gap = () => (md.at(-1) === '' ? [] : ['']);
  if (elsewhere.length > 0) md.push(...gap(), `Tested from the app itself by \`verify-azure.sh\`, or through the firewall below: ${elsewhere.map((i) => mdText(i.name)).join(', ')}.`);
  if (notTested.length > 0) md.push(...gap(), `Not tested after deploy, for want of a test endpoint at an end (add one with a fixed address to test it): ${notTested.map(mdText).join('; ')}.`);
  md.push('');
  if (probes.length > 0) {
    md.push('## Through the firewall', '', 'Azure sends these requests to the firewall (the next hop above); they succeed only when the firewall passes them. Give `api` a live address in the range (hybridnet knows the range, not its servers) and run on the test VM:', '');
    for (const p of probes) {
      const command = p.os === 'windows' ? `Test-NetConnection -ComputerName $api -Port ${p.port} -InformationLevel Quiet` : `nc -z -w 3 "$api" ${p.port} && echo PASS || echo FAIL`;
      md.push(`- [ ] from ${mdText(p.from)}, a request to an address in ${p.prefix} on TCP ${p.port}${p.rule ? ` (rule ${mdText(p.rule)} of ${mdText(p.firewall)})` : ''} opens: \`${command}\``);
    }
    md.push('');
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
    '[CmdletBinding()]',
    'param(',
    '    [Parameter(Mandatory = $true)]',
    '    [string] $From',
    ')',
    '',
    '$checks = @{',
    ...sources.map((s) => `    ${psString(s.name)} = @(${pairs.filter((p) => p.from === s).map((p) => `@{ To = ${psString(p.to.name)}; Address = ${psString(p.to.privateIp!)}; Port = ${LISTENER[p.to.os].port}; Open = $${p.expect} }`).join(', ')})`),
    '}',
    'if (-not $checks.ContainsKey($From)) {',
    `    Write-Output "unknown endpoint $From; known: $($checks.Keys -join ', ')"`,
    '    exit 2',
    '}',
    '$failures = 0',
    'foreach ($check in $checks[$From]) {',
    '    $open = Test-NetConnection -ComputerName $check.Address -Port $check.Port -InformationLevel Quiet -WarningAction SilentlyContinue',
    '    $verb = if ($open) { "reaches" } else { "does not reach" }',
    '    if ($open -eq $check.Open) {',
    '        Write-Output "PASS $From $verb $($check.To) ($($check.Address) TCP $($check.Port))"',
    '    } else {',
    '        Write-Output "FAIL $From $verb $($check.To) ($($check.Address) TCP $($check.Port)), which must $(if ($check.Open) { "open" } else { "stay closed" })"',
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
    '# Usage: sh verify.sh <endpoint>',
    'set -u',
    'failures=0',
    '# probe <address> <port>: a TCP connection opens (nc, else bash\'s /dev/tcp)',
    'probe() {',
    '  if command -v nc >/dev/null 2>&1; then',
    '    nc -z -w 3 "$1" "$2" >/dev/null 2>&1',
    '  else',
    '    # shellcheck disable=SC2016 # bash expands them, from its own arguments',
    '    timeout 3 bash -c \'exec 3<>"/dev/tcp/$1/$2"\' probe "$1" "$2" >/dev/null 2>&1',
    '  fi',
    '}',
    '# check <from> <address> <to> <port> <open|closed>: the connection must open, or stay closed',
    'check() {',
    '  if probe "$2" "$4"; then seen=open; verb=reaches; else seen=closed; verb="does not reach"; fi',
    '  if [ "$seen" = "$5" ]; then',
    '    echo "PASS $1 $verb $3 ($2 TCP $4)"',
    '  else',
    '    echo "FAIL $1 $verb $3 ($2 TCP $4), which must be $5"',
    '    failures=$((failures + 1))',
    '  fi',
    '}',
    'case "${1:-}" in',
    ...sources.flatMap((s) => [`  ${shString(s.name)})`, ...pairs.filter((p) => p.from === s).map((p) => `    check ${shString(s.name)} ${shString(p.to.privateIp!)} ${shString(p.to.name)} ${LISTENER[p.to.os].port} ${p.expect ? 'open' : 'closed'}`), '    ;;']),
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
