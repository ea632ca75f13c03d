/**
 * The verification plan: for each pair of test endpoints that should reach each other (both
 * directions covered by the routes the simulation predicts), a ping from each side; on each
 * RRAS server its interfaces and BGP sessions; on each Azure VPN gateway the routes it should
 * have learned. As a checklist (VERIFY.md) and as scripts run from each endpoint (verify.ps1 for
 * Windows, verify.sh for Linux).
 */
import { connectionTunnels, parseIp, parsePrefix, resourceGroup, rrasInterfaceName, type ContextRouteSet, type SiteToSiteConnection, type TestEndpoint, type Topology, type TopologyIndex } from '@hybridnet/model';
import { mdText, psString, shString } from '@hybridnet/render';

export interface Reach {
  readonly from: TestEndpoint;
  readonly to: TestEndpoint;
}

const covers = (prefix: string, ip: string) => {
  const p = parsePrefix(prefix);
  const a = parseIp(ip);
  return p.ok && a.ok && p.value.version === a.value.version && p.value.first <= a.value.value && a.value.value <= p.value.last;
};

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

export function reachablePairs(topology: Topology, sets: readonly ContextRouteSet[]): Reach[] {
  const endpoints = topology.testEndpoints.filter((t) => t.privateIp);
  const pairs: Reach[] = [];
  for (const a of endpoints) for (const b of endpoints) if (a !== b && routes(topology, sets, a, b.privateIp!) && routes(topology, sets, b, a.privateIp!)) pairs.push({ from: a, to: b });
  return pairs;
}

export function verifyFiles(topology: Topology, index: TopologyIndex, sets: readonly ContextRouteSet[]): { path: string; content: string }[] {
  const pairs = reachablePairs(topology, sets);
  const sources = [...new Set(pairs.map((p) => p.from))];
  const where = (t: TestEndpoint) => ('vnet' in t.attach ? `${t.attach.vnet}/${t.attach.subnet}` : `site ${t.attach.site}`);

  const md: string[] = [`# Verifying ${mdText(topology.name)}`, '', `Each line must hold once everything is deployed.${pairs.length > 0 ? ' The scripts `verify.ps1` and `verify.sh` run the reachability checks from one endpoint and print PASS or FAIL for each.' : ''}`, ''];
  md.push('## Reachability (from the route simulation)', '');
  if (pairs.length === 0) md.push('No two test endpoints with fixed addresses are expected to reach each other.', '');
  for (const p of pairs) md.push(`- [ ] from ${mdText(p.from.name)} (${p.from.privateIp}, ${mdText(where(p.from))}) reach ${mdText(p.to.name)} (${p.to.privateIp}, ${mdText(where(p.to))}): \`${p.from.os === 'windows' ? `.\\verify.ps1 -From ${psString(p.from.name)}` : `sh verify.sh ${shString(p.from.name)}`}\``);
  md.push('');

  const s2s = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && index.sites.get(c.site)?.value.device.type === 'rras');
  if (s2s.length > 0) {
    md.push('## RRAS servers', '');
    for (const c of s2s) {
      const site = index.sites.get(c.site)!.value;
      for (const t of connectionTunnels(c, index)) {
        const name = rrasInterfaceName(c.gateway, t.instance);
        md.push(`- [ ] on ${mdText(site.name)}: \`(Get-VpnS2SInterface -Name ${psString(name)}).ConnectionState\` is Connected`);
        if (c.bgp && site.bgp) md.push(`- [ ] on ${mdText(site.name)}: \`(Get-BgpPeer -Name ${psString(name)}).ConnectivityStatus\` is Connected`);
      }
    }
    md.push('');
  }

  const gateways = sets.filter((s) => s.kind === 'vpn-gateway');
  if (gateways.length > 0) {
    md.push('## Azure VPN gateways', '');
    for (const g of gateways) {
      const learned = [...new Set(g.routes.filter((r) => !['vnet', 'peered-vnet', 'p2s-pool'].includes(r.origin)).map((r) => r.prefix))];
      md.push(`- [ ] \`az network vnet-gateway list-learned-routes -g ${shString(resourceGroup(topology, 'network'))} -n ${shString(g.name)} -o table\` lists ${learned.length > 0 ? learned.map((p) => `\`${p}\``).join(', ') : 'no route beyond its VNets'}`);
    }
    md.push('');
  }

  const ps = [
    '<#',
    `.SYNOPSIS`,
    `    Reachability checks of topology ${topology.name.replace(/#>/g, '')} from one test endpoint; PASS/FAIL per line, exit 1 on any FAIL.`,
    '#>',
    '[CmdletBinding()]',
    'param(',
    '    [Parameter(Mandatory = $true)]',
    '    [string] $From',
    ')',
    '',
    '$checks = @{',
    ...sources.map((s) => `    ${psString(s.name)} = @(${pairs.filter((p) => p.from === s).map((p) => `@{ To = ${psString(p.to.name)}; Address = ${psString(p.to.privateIp!)} }`).join(', ')})`),
    '}',
    'if (-not $checks.ContainsKey($From)) {',
    `    Write-Output "unknown endpoint $From; known: $($checks.Keys -join ', ')"`,
    '    exit 2',
    '}',
    '$failures = 0',
    'foreach ($check in $checks[$From]) {',
    '    if (Test-Connection -ComputerName $check.Address -Count 2 -Quiet) {',
    '        Write-Output "PASS $From reaches $($check.To) ($($check.Address))"',
    '    } else {',
    '        Write-Output "FAIL $From does not reach $($check.To) ($($check.Address))"',
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
    `# Reachability checks of topology ${topology.name} from one test endpoint; PASS/FAIL per line, exit 1 on any FAIL.`,
    '# Usage: sh verify.sh <endpoint>',
    'set -u',
    'failures=0',
    'check() {',
    '  if ping -c 2 -W 2 "$2" >/dev/null 2>&1; then',
    '    echo "PASS $1 reaches $3 ($2)"',
    '  else',
    '    echo "FAIL $1 does not reach $3 ($2)"',
    '    failures=$((failures + 1))',
    '  fi',
    '}',
    'case "${1:-}" in',
    ...sources.flatMap((s) => [`  ${shString(s.name)})`, ...pairs.filter((p) => p.from === s).map((p) => `    check ${shString(s.name)} ${shString(p.to.privateIp!)} ${shString(p.to.name)}`), '    ;;']),
    `  *) echo "unknown endpoint \${1:-}; known: ${sources.map((s) => s.name).join(', ')}"; exit 2 ;;`,
    'esac',
    '[ "$failures" -eq 0 ]',
    '',
  ];
  // Without two endpoints that should reach each other there is nothing for a script to run.
  if (pairs.length === 0) return [{ path: 'VERIFY.md', content: `${md.join('\n').trimEnd()}\n` }];
  return [
    { path: 'VERIFY.md', content: `${md.join('\n').trimEnd()}\n` },
    { path: 'verify.ps1', content: ps.join('\n') },
    { path: 'verify.sh', content: sh.join('\n') },
  ];
}
