/**
 * report.html: one self-contained page (inline SVG and CSS, nothing fetched) with the diagram,
 * the address plan (a table and a utilisation bar per VNet address space: used, free and
 * overlapping ranges), the validator's findings with their fixes, and the routes the simulation
 * predicts for every subnet, gateway, Route Server and site.
 */
import { formatPath, parsePrefix, type ContextIntent, type ContextRouteSet, type Diagnostic, type Topology } from '@hybridnet/model';
import { xmlText as x } from '@hybridnet/render';

const CSS = `body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1f2937}h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d1d5db}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #d1d5db;padding:3px 8px;font-size:13px;text-align:left}th{background:#f3f4f6}
.bar{position:relative;height:18px;width:640px;background:#e5e7eb;border:1px solid #9ca3af;margin:4px 0 2px}.bar span{position:absolute;top:0;height:100%;background:#60a5fa;border-right:1px solid #1e3a8a}.bar span.overlap{background:#ef4444}
.legend{font-size:12px;color:#4b5563}.diagram{overflow:auto;border:1px solid #d1d5db;padding:8px}
.diagram input{display:none}.diagram label{display:block;cursor:zoom-in}.diagram svg{display:block;max-width:100%;height:auto}.diagram input:checked+label{cursor:zoom-out}.diagram input:checked+label svg{max-width:none}.warning{color:#92400e}.error{color:#b91c1c}p.errors{color:#b91c1c;font-weight:bold}.active{font-weight:bold}.intents ol{margin:0;padding-left:1.4em}.intents small{color:#555}tr.fails td.verdict{color:#b91c1c}`;

interface Segment {
  readonly name: string;
  readonly left: number;
  readonly width: number;
  readonly overlap: boolean;
}

function segments(space: string, subnets: { name: string; prefix: string }[]): { used: number; segments: Segment[] } {
  const outer = parsePrefix(space);
  if (!outer.ok) return { used: 0, segments: [] };
  const size = Number(outer.value.last - outer.value.first + 1n);
  const inside = subnets.map((s) => ({ s, p: parsePrefix(s.prefix) })).filter((e) => e.p.ok && e.p.value.version === outer.value.version && e.p.value.first >= outer.value.first && e.p.value.last <= outer.value.last);
  const result: Segment[] = [];
  let used = 0;
  for (const { s, p } of inside) {
    if (!p.ok) continue;
    const first = Number(p.value.first - outer.value.first);
    const width = Number(p.value.last - p.value.first + 1n);
    const overlap = inside.some((o) => o.s !== s && o.p.ok && o.p.value.first <= p.value.last && p.value.first <= o.p.value.last);
    used += width;
    result.push({ name: `${s.name} ${s.prefix}`, left: (first / size) * 100, width: Math.max((width / size) * 100, 0.4), overlap });
  }
  return { used: Math.min(used / size, 1), segments: result };
}

function addressPlan(topology: Topology): string {
  const out: string[] = [];
  for (const vnet of topology.azure.vnets) {
    out.push(`<h3>VNet ${x(vnet.name)}</h3>`);
    for (const space of vnet.addressSpace) {
      const { used, segments: segs } = segments(space, vnet.subnets.map((s) => ({ name: s.name, prefix: s.prefix })));
      out.push(`<div class="legend">${x(space)}: ${(used * 100).toFixed(1)} % allocated to subnets</div>`);
      out.push(`<div class="bar" data-space="${x(space)}">${segs.map((s) => `<span class="${s.overlap ? 'overlap' : 'used'}" style="left:${s.left.toFixed(3)}%;width:${s.width.toFixed(3)}%" title="${x(s.name)}"></span>`).join('')}</div>`);
    }
    out.push('<table class="subnets"><tr><th>subnet</th><th>prefix</th><th>usable addresses</th><th>route table</th><th>security group</th><th>delegation</th></tr>');
    for (const s of vnet.subnets) {
      const p = parsePrefix(s.prefix);
      const usable = p.ok ? Math.max(Number(p.value.last - p.value.first + 1n) - 5, 0) : 0;
      out.push(`<tr><td>${x(s.name)}</td><td>${x(s.prefix)}</td><td>${usable}</td><td>${x(s.routeTable ?? '')}</td><td>${x(s.networkSecurityGroup ?? '')}</td><td>${x(s.delegation ?? '')}</td></tr>`);
    }
    out.push('</table>');
    if (vnet.vpnGateway?.pointToSite) out.push(`<p>Point-to-site pool of ${x(vnet.vpnGateway.name)}: ${x(vnet.vpnGateway.pointToSite.addressPool.join(', '))}</p>`);
  }
  out.push(securityGroups(topology));
  out.push('<h3>Sites</h3><table class="sites"><tr><th>site</th><th>LAN</th><th>device</th><th>hosted</th></tr>');
  for (const s of topology.sites) out.push(`<tr><td>${x(s.name)}</td><td>${x(s.lan.join(', '))}</td><td>${x(s.device.type)}</td><td>${x(s.hosting.type === 'aws' ? `AWS ${s.hosting.region} (VPC ${s.hosting.vpcCidr})` : s.hosting.type === 'azure' ? `Azure VNet ${s.hosting.vnet}` : 'on premises')}</td></tr>`);
  out.push('</table>');
  return out.join('\n');
}

/** Each network security group: where it is attached, its rules by priority, and Azure's defaults beneath them. */
function securityGroups(topology: Topology): string {
  const groups = topology.azure.networkSecurityGroups;
  if (groups.length === 0) return '';
  const where = (name: string) => [
    ...topology.azure.vnets.flatMap((v) => v.subnets.filter((s) => s.networkSecurityGroup === name).map((s) => `subnet ${v.name}/${s.name}`)),
    ...topology.azure.firewalls.filter((f) => f.networkSecurityGroup === name).map((f) => `NIC of firewall ${f.name}`),
    ...topology.testEndpoints.filter((t) => t.networkSecurityGroup === name).map((t) => `NIC of ${t.name}`),
  ];
  const out = ['<h3>Network security groups</h3>', '<table class="nsgs"><tr><th>group</th><th>on</th><th>priority</th><th>rule</th><th>direction</th><th>access</th><th>protocol</th><th>source</th><th>destination</th></tr>'];
  for (const g of groups) {
    const rules = [...g.rules].sort((a, b) => (a.direction === b.direction ? a.priority - b.priority : a.direction < b.direction ? -1 : 1));
    const rows = [...rules.map((r) => [String(r.priority), r.name, r.direction, r.access, r.protocol, `${r.source.join(', ')} ports ${r.sourcePorts.join(', ')}`, `${r.destination.join(', ')} ports ${r.destinationPorts.join(', ')}`]), ['65000+', "Azure's defaults", 'both', '', '', 'AllowVnetInBound, AllowAzureLoadBalancerInBound, DenyAllInBound', 'AllowVnetOutBound, AllowInternetOutBound, DenyAllOutBound']];
    rows.forEach((cells, i) => out.push(`<tr>${i === 0 ? `<td rowspan="${rows.length}">${x(g.name)}</td><td rowspan="${rows.length}">${x(where(g.name).join(', ') || 'nothing')}</td>` : ''}${cells.map((c) => `<td>${x(c)}</td>`).join('')}</tr>`));
  }
  out.push('</table>');
  return out.join('\n');
}

const SEVERITY_ORDER: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

/** The findings, errors first (then warnings, then notes), each kind in the validator's order. */
function findings(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '<p id="no-findings">No findings: the topology passed every check.</p>';
  return `<table class="findings"><tr><th>severity</th><th>code</th><th>where</th><th>problem</th><th>fix</th></tr>${[...diagnostics]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    .map((d) => `<tr class="${d.severity}"><td class="${d.severity}">${d.severity}</td><td>${x(d.code)}</td><td>${x(`${d.line ? `line ${d.line}: ` : ''}${formatPath(d.path)}`)}</td><td>${x(d.message)}</td><td>${x(d.hint ?? '')}</td></tr>`)
    .join('')}</table>`;
}

/** One row per flow shown: the intent, its verdict, the addresses, and the hops of the request and the reply. */
function intents(list: readonly ContextIntent[], svg: string): string {
  if (list.length === 0) return '<p id="no-intents">No intents declared (<code>intents:</code> in the topology says which traffic must flow).</p>';
  const hops = (texts: readonly string[]) => (texts.length === 0 ? '' : `<ol>${texts.map((t) => `<li>${x(t)}</li>`).join('')}</ol>`);
  const rows = list.flatMap((i) =>
    i.flows.map((f, n) => {
      const verdict = f.verdict === 'holds' ? 'holds' : `fails: ${f.verdict}`;
      // The diagram draws the path of the intent's first flow when asked (its #path-<intent>).
      const drawn = n === 0 && svg.includes(`id="${x(`path-${i.name}`)}"`) ? ` <a class="draw" href="#${x(`path-${i.name}`)}">on the diagram</a>` : '';
      const head = n === 0 ? `<td rowspan="${i.flows.length}">${x(i.name)}${drawn}<br><small>${x(`${i.kind} ${i.from} → ${i.to.join(', ')}${i.protocol !== 'tcp' || i.port !== undefined ? ` on ${i.protocol.toUpperCase()}${i.port !== undefined ? ` ${i.port}` : ''}` : ''}${i.via ? ` via ${i.via}` : ''}`)}</small></td>` : '';
      return `<tr class="${f.verdict === 'holds' ? 'holds' : 'fails'}">${head}<td class="verdict">${x(verdict)}</td><td>${x(`${f.source} → ${f.destination} (${f.target})`)}<br><small>${x(f.why)}</small></td><td>${hops(f.request)}</td><td>${hops(f.reply)}</td></tr>`;
    }),
  );
  return `<table class="intents"><tr><th>intent</th><th>verdict</th><th>flow</th><th>path</th><th>reply</th></tr>${rows.join('')}</table>`;
}

/** Each failure set an intent says it survives (survives:), and its verdict with those elements down. */
function resilience(list: readonly ContextIntent[]): string {
  const rows = list.flatMap((i) =>
    (i.survives ?? []).map((f, n) => {
      const head = n === 0 ? `<td rowspan="${i.survives!.length}">${x(i.name)}</td>` : '';
      return `<tr class="${f.holds ? 'holds' : 'fails'}">${head}<td>${x(f.elements.map((e) => e.replace(':', ' ')).join(' and '))} down</td><td class="verdict">${f.holds ? 'holds' : 'fails'}</td><td>${x(f.why ?? '')}</td></tr>`;
    }),
  );
  if (rows.length === 0) return '';
  return `<h3>Resilience</h3>\n<p class="legend">The failures each intent says it survives (<code>survives:</code>), each answered with those elements down; <code>hybridnet routes --fail</code> answers any other.</p>\n<table class="intents resilience"><tr><th>intent</th><th>failure</th><th>verdict</th><th>why</th></tr>${rows.join('')}</table>\n`;
}

const TITLE = { 'vpn-gateway': 'VPN gateway', 'expressroute-gateway': 'ExpressRoute gateway', 'route-server': 'Route Server', site: 'Site', subnet: 'Subnet', 'app-service': 'App Service app (outbound)' } as const;

/** Beyond this many rows the page is too large to open; `hybridnet routes` prints everything. */
const ROUTE_ROWS = 50_000;

/**
 * One table per distinct route table: places that learn exactly the same routes (the subnets of
 * a VNet, usually) share one table headed by all their names, and past ROUTE_ROWS rows the rest
 * is named but not tabled.
 */
type Route = ContextRouteSet['routes'][number];

function routes(sets: readonly ContextRouteSet[]): string {
  type Group = { kind: ContextRouteSet['kind']; names: string[]; set: ContextRouteSet };
  const groups: Group[] = [];
  // Sets with the same routes share a table. The simulation shares one list between the subnets
  // that learn the same routes; other lists are told apart by their kind, length and first and
  // last route, and only when all of these agree by their whole text, looked up in one map (a
  // large estate's 500 site lists never agree; its 1,000 spoke lists agree 15 ways, and were
  // each compared with every earlier one alike).
  const text = (r: Route | undefined) => (r ? `${r.prefix} ${r.nextHop} ${r.origin} ${r.active}` : '');
  const keyOf = (routes: readonly Route[]) => routes.map(text).join('\n');
  const placed = new Map<string, Map<readonly Route[], Group>>();
  const alike = new Map<string, { only?: Group; byText?: Map<string, Group> }>();
  for (const s of sets) {
    let lists = placed.get(s.kind);
    if (!lists) placed.set(s.kind, (lists = new Map()));
    let group = lists.get(s.routes);
    if (!group) {
      const signature = `${s.kind}\n${s.routes.length}\n${text(s.routes[0])}\n${text(s.routes.at(-1))}`;
      let bucket = alike.get(signature);
      if (!bucket) alike.set(signature, (bucket = {}));
      if (bucket.only) {
        bucket.byText = new Map([[keyOf(bucket.only.set.routes), bucket.only]]);
        bucket.only = undefined;
      }
      const key = bucket.byText && keyOf(s.routes);
      group = key === undefined ? undefined : bucket.byText!.get(key);
      if (!group) {
        group = { kind: s.kind, names: [], set: s };
        groups.push(group);
        if (key === undefined) bucket.only = group;
        else bucket.byText!.set(key, group);
      }
      lists.set(s.routes, group);
    }
    group.names.push(s.name);
  }
  // A row printed once per route: the simulation shares a route's copy between the lists that
  // learn it (a large estate's 50,000 rows are a few thousand routes).
  const printed = [new Map<Route, string>(), new Map<Route, string>()];
  const row = (r: Route, subnet: boolean): string => {
    const cache = printed[subnet ? 1 : 0]!;
    let html = cache.get(r);
    if (html === undefined) cache.set(r, (html = `<tr${r.active ? ' class="active"' : ''}><td>${x(r.prefix)}</td><td>${x(r.nextHop)}</td><td>${x(r.origin)}</td>${subnet ? `<td>${r.active ? 'yes' : ''}</td>` : ''}</tr>`));
    return html;
  };
  let rows = 0;
  const omitted: string[] = [];
  const out: string[] = [];
  for (const { kind, names, set } of groups) {
    const heading = `${TITLE[kind]}${names.length > 1 ? `s (${names.length})` : ''} ${x(names.join(', '))}`;
    if (rows + set.routes.length > ROUTE_ROWS && set.routes.length > 0) {
      omitted.push(...names);
      continue;
    }
    rows += set.routes.length;
    out.push(
      `<h3>${heading}</h3>${
        set.routes.length === 0
          ? '<p>No routes.</p>'
          : `<table class="routes"><tr><th>prefix</th><th>next hop</th><th>origin</th>${kind === 'subnet' ? '<th>in use</th>' : ''}</tr>${set.routes
              .map((r) => row(r, kind === 'subnet'))
              .join('')}</table>`
      }`,
    );
  }
  if (omitted.length > 0) out.push(`<p id="routes-omitted">Not shown, to keep this page openable (over ${ROUTE_ROWS.toLocaleString('en')} routes): ${omitted.length} more places (${x(omitted.slice(0, 20).join(', '))}${omitted.length > 20 ? ', …' : ''}). Run <code>hybridnet routes &lt;topology&gt;</code> for every route.</p>`);
  return out.join('\n');
}

export function report(topology: Topology, svg: string, sets: readonly ContextRouteSet[], diagnostics: readonly Diagnostic[], declared: readonly ContextIntent[] = []): string {
  // With an error, the findings come first, before the diagram: what to fix is what a reader needs.
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${x(`hybridnet report: ${topology.name}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${x(`hybridnet report: ${topology.name}`)}</h1>
${topology.description ? `<p>${x(topology.description)}</p>` : ''}
${errors > 0 ? `<h2>Findings</h2>\n<p class="errors">${errors} error${errors === 1 ? '' : 's'}: this topology would not deploy or work as it is. Each comes with its fix.</p>\n${findings(diagnostics)}\n` : ''}<h2>Diagram</h2>
<p class="legend">Fitted to the page: click the diagram to see it at full size (and again to fit it).</p>
<div class="diagram"><input type="checkbox" id="diagram-zoom"><label for="diagram-zoom">${svg.replace(/^<\?xml[^>]*\?>\n/, '')}</label></div>
<h2>Address plan</h2>
${addressPlan(topology)}
<h2>Intents</h2>
${intents(declared, svg)}
${resilience(declared)}${errors > 0 ? '' : `<h2>Findings</h2>\n${findings(diagnostics)}\n`}<h2>Predicted routes</h2>
${routes(sets)}
</body>
</html>
`;
}
