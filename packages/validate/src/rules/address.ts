/**
 * Phase 1, the address plan: prefixes Azure forbids, subnets inside their VNet and apart from
 * each other, AWS sizes, sites that fit their LAN, unique APIPA addresses, and no overlap among
 * the address spaces of one routing domain.
 *
 * A routing domain is every address space that becomes reachable from the others: VNets joined
 * by peering or gateway connections, the site LANs they connect to (a site simulated in Azure is
 * its VNet), and the point-to-site pools of their gateways. Separate domains may reuse ranges.
 */
import { NON_PUBLIC_RANGES, type ModelPath } from '@hybridnet/model';
import { findOverlapGroups, type ParsedNamedPrefix } from '../address-plan.ts';
import { coveredBy, intersects, RFC1918, type Context } from '../context.ts';

const FORBIDDEN = ['224.0.0.0/4', '255.255.255.255/32', '127.0.0.0/8', '169.254.0.0/16', '168.63.129.16/32'];
/** IPv4 space that is not public (the model's table; IPv6 unique local space is not IPv4). */
const PRIVATE_OR_SHARED = NON_PUBLIC_RANGES.filter((p) => !p.includes(':'));
const APIPA_WINDOW = '169.254.0.0/16';
/** Overlap findings shown per VNet or routing domain; the rest are counted in one more. */
export const MAX_OVERLAPS_SHOWN = 50;

/** Names for a message: the first few, then how many more. */
function someNames(names: readonly string[], shown = 5): string {
  const quoted = names.slice(0, shown).map((n) => `"${n}"`);
  return names.length > shown ? `${quoted.join(', ')} and ${(names.length - shown).toLocaleString('en')} more` : quoted.join(', ');
}

/** Reports up to MAX_OVERLAPS_SHOWN findings, then one that counts the rest. */
function capped(report: (path: ModelPath, message: string, hint: string) => void, where: string) {
  let count = 0;
  let firstHidden: ModelPath | undefined;
  return {
    add(path: ModelPath, message: string, hint: string) {
      if (++count <= MAX_OVERLAPS_SHOWN) report(path, message, hint);
      else firstHidden ??= path;
    },
    done(hint: string) {
      if (firstHidden) report(firstHidden, `${(count - MAX_OVERLAPS_SHOWN).toLocaleString('en')} more overlaps in ${where} are not shown`, hint);
    },
  };
}

interface Owner {
  readonly label: string;
  readonly path: ModelPath;
  readonly pool: boolean;
}

export function checkAddressPlan(ctx: Context): void {
  checkVnets(ctx);
  checkSites(ctx);
  checkDomains(ctx);
  checkApipaUnique(ctx);
}

function checkVnets(ctx: Context): void {
  ctx.topology.azure.vnets.forEach((vnet, v) => {
    const base = ['azure', 'vnets', v];
    const own: ParsedNamedPrefix<ModelPath>[] = [];
    vnet.addressSpace.forEach((text, i) => {
      const path = [...base, 'addressSpace', i];
      const p = ctx.prefix(text);
      own.push({ name: text, prefix: text, parsed: p, tag: path });
      const forbidden = FORBIDDEN.find((f) => intersects(ctx.prefix(f), p));
      if (forbidden) ctx.report('hybridnet/validate/address/vnet-forbidden-range', path, `VNet "${vnet.name}" address space ${text} overlaps ${forbidden}, which Azure reserves`, 'choose private space (RFC 1918) that avoids multicast, loopback, link-local and 168.63.129.16');
      else if (p.version === 4 && !coveredBy(ctx, text, PRIVATE_OR_SHARED)) ctx.report('hybridnet/validate/address/vnet-public-range', path, `VNet "${vnet.name}" uses public space ${text}`, 'use RFC 1918 space unless you own this range and mean to use it privately');
    });
    const self = findOverlapGroups(own);
    const selfShown = capped((path, message, hint) => ctx.report('hybridnet/validate/address/vnet-self-overlap', path, message, hint), `VNet "${vnet.name}"`);
    for (const group of self.same) selfShown.add(group[1]!.tag!, `VNet "${vnet.name}" lists ${group[0]!.prefix} ${group.length} times`, `keep ${group[0]!.prefix} once`);
    for (const o of self.nested) selfShown.add(o.b.tag!, `VNet "${vnet.name}" address prefixes ${o.a.prefix} and ${o.b.prefix} overlap`, `keep only ${o.a.prefix}, or make the prefixes disjoint`);
    selfShown.done('fix the overlaps shown first');
    const subnets: ParsedNamedPrefix<ModelPath>[] = [];
    vnet.subnets.forEach((subnet, s) => {
      const entries: [string, string | undefined][] = [['prefix', subnet.prefix], ['ipv6Prefix', subnet.ipv6Prefix]];
      for (const [field, text] of entries) {
        if (!text) continue;
        const path = [...base, 'subnets', s, field];
        const p = ctx.prefix(text);
        subnets.push({ name: subnet.name, prefix: text, parsed: p, tag: path });
        if (p.version === 4 ? p.length < 2 || p.length > 29 : p.length !== 64) {
          ctx.report('hybridnet/validate/address/subnet-size', path, `subnet "${subnet.name}" is ${text}; Azure subnets are /2 to /29 (IPv4) or exactly /64 (IPv6)`, p.version === 4 ? (subnet.name === 'GatewaySubnet' ? 'use /27, the size Azure recommends for GatewaySubnet (/28 and /29 are accepted with a warning)' : 'use /29 or larger') : 'use a /64');
        }
        if (!coveredBy(ctx, text, vnet.addressSpace)) {
          ctx.report('hybridnet/validate/address/subnet-outside-vnet', path, `subnet "${subnet.name}" ${text} is outside VNet "${vnet.name}" (${vnet.addressSpace.join(', ')})`, 'pick a prefix inside the VNet address space, or add the range to the VNet');
        }
      }
    });
    const found = findOverlapGroups(subnets);
    const out = capped((path, message, hint) => ctx.report('hybridnet/validate/address/subnet-overlap', path, message, hint), `VNet "${vnet.name}"`);
    for (const group of found.same) out.add(group[1]!.tag!, `subnets ${someNames(group.map((g) => g.name))} of VNet "${vnet.name}" all use ${group[0]!.prefix}`, 'give each subnet its own range');
    for (const o of found.nested) out.add(o.b.tag!, `subnets "${o.a.name}" ${o.a.prefix} and "${o.b.name}" ${o.b.prefix} of VNet "${vnet.name}" overlap`, 'give each subnet its own range');
    out.done('fix the overlaps shown first; the rest often go with them');
  });
}

function checkSites(ctx: Context): void {
  const { topology, index } = ctx;
  topology.sites.forEach((site, s) => {
    const base = ['sites', s];
    const inLan = (text: string) => coveredBy(ctx, text, site.lan);
    if (site.device.type === 'rras' && !inLan(`${site.device.privateIp}/32`)) {
      ctx.report('hybridnet/validate/address/site-layout', [...base, 'device', 'privateIp'], `the RRAS server address ${site.device.privateIp} of site "${site.name}" is outside its LAN (${site.lan.join(', ')})`, "use the server's LAN address");
    }
    const hosting = site.hosting;
    if (hosting.type === 'aws') {
      const vpc = ctx.prefix(hosting.vpcCidr);
      const subnet = ctx.prefix(hosting.subnetCidr);
      for (const [field, p] of [['vpcCidr', vpc], ['subnetCidr', subnet]] as const) {
        if (p.length < 16 || p.length > 28) ctx.report('hybridnet/validate/address/aws-cidr-size', [...base, 'hosting', field], `AWS ${field === 'vpcCidr' ? 'VPC' : 'subnet'} ${p.text} of site "${site.name}" must be /16 to /28`, 'AWS accepts IPv4 VPC and subnet CIDRs from /16 to /28');
      }
      if (!coveredBy(ctx, hosting.subnetCidr, [hosting.vpcCidr])) ctx.report('hybridnet/validate/address/aws-cidr-size', [...base, 'hosting', 'subnetCidr'], `AWS subnet ${hosting.subnetCidr} of site "${site.name}" is outside its VPC ${hosting.vpcCidr}`, 'pick a subnet inside the VPC');
      if (!inLan(hosting.vpcCidr)) ctx.report('hybridnet/validate/address/site-layout', [...base, 'hosting', 'vpcCidr'], `the AWS VPC ${hosting.vpcCidr} of site "${site.name}" is outside its LAN (${site.lan.join(', ')})`, 'the VPC is the site: include its CIDR in lan');
      if (site.device.type === 'rras' && !coveredBy(ctx, `${site.device.privateIp}/32`, [hosting.subnetCidr])) {
        ctx.report('hybridnet/validate/address/site-layout', [...base, 'device', 'privateIp'], `the RRAS server address ${site.device.privateIp} of site "${site.name}" is outside the AWS subnet ${hosting.subnetCidr}`, 'pick an address in the subnet (not its first four or last)');
      }
    }
    if (hosting.type === 'azure') {
      const vnet = index.vnets.get(hosting.vnet)?.value;
      const v4 = vnet?.addressSpace ?? [];
      const missing = v4.filter((text) => !inLan(text));
      const extra = site.lan.filter((text) => !coveredBy(ctx, text, v4));
      if (vnet && (missing.length > 0 || extra.length > 0)) {
        ctx.report('hybridnet/validate/address/site-layout', [...base, 'lan'], `site "${site.name}" is simulated by VNet "${vnet.name}" but their ranges differ (${[...missing.map((m) => `${m} only in the VNet`), ...extra.map((e) => `${e} only in the site`)].join('; ')})`, "make the site's lan the VNet's address space");
      }
    }
  });
  topology.testEndpoints.forEach((endpoint, i) => {
    if (!endpoint.privateIp || !('site' in endpoint.attach)) return;
    const site = index.sites.get(endpoint.attach.site)?.value;
    const range = site?.hosting.type === 'aws' ? [site.hosting.subnetCidr] : (site?.lan ?? []);
    if (site && !coveredBy(ctx, `${endpoint.privateIp}/32`, range)) {
      ctx.report('hybridnet/validate/address/site-layout', ['testEndpoints', i, 'privateIp'], `test endpoint "${endpoint.name}" ${endpoint.privateIp} is outside site "${site.name}" (${range.join(', ')})`, 'pick an address inside the site');
    }
  });
}

/** Union-find over VNets and sites: who can reach whom. */
function routingDomains(ctx: Context): (key: string) => string {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const gatewayVnet = (gateway: string) => `vnet:${(ctx.index.vpnGateways.get(gateway) ?? ctx.index.expressRouteGateways.get(gateway))?.vnet.name}`;
  for (const p of ctx.topology.azure.peerings) union(`vnet:${p.vnets[0]}`, `vnet:${p.vnets[1]}`);
  for (const c of ctx.topology.connections) {
    if (c.type === 'vnet-to-vnet') union(gatewayVnet(c.gateways[0]), gatewayVnet(c.gateways[1]));
    else union(gatewayVnet(c.gateway), `site:${c.site}`);
  }
  for (const site of ctx.topology.sites) if (site.hosting.type === 'azure') union(`site:${site.name}`, `vnet:${site.hosting.vnet}`);
  return find;
}

function checkDomains(ctx: Context): void {
  const domainOf = routingDomains(ctx);
  const byDomain = new Map<string, ParsedNamedPrefix<Owner>[]>();
  const add = (key: string, prefix: string, owner: Owner) => {
    const domain = domainOf(key);
    const list = byDomain.get(domain) ?? [];
    list.push({ name: owner.label, prefix, parsed: ctx.prefix(prefix), tag: owner });
    byDomain.set(domain, list);
  };
  ctx.topology.azure.vnets.forEach((vnet, v) => {
    const path = ['azure', 'vnets', v];
    vnet.addressSpace.forEach((p, i) => add(`vnet:${vnet.name}`, p, { label: `VNet "${vnet.name}"`, path: [...path, 'addressSpace', i], pool: false }));
    vnet.vpnGateway?.pointToSite?.addressPool.forEach((p, i) =>
      add(`vnet:${vnet.name}`, p, { label: `point-to-site pool of "${vnet.vpnGateway!.name}"`, path: [...path, 'vpnGateway', 'pointToSite', 'addressPool', i], pool: true }),
    );
  });
  ctx.topology.sites.forEach((site, s) => {
    if (site.hosting.type === 'azure') return; // its VNet stands for it
    site.lan.forEach((p, i) => add(`site:${site.name}`, p, { label: `site "${site.name}"`, path: ['sites', s, 'lan', i], pool: false }));
  });
  const poolHint = 'pick a point-to-site pool that overlaps no VNet or site its clients reach';
  const renumber = 'renumber one of them; overlapping ranges cannot be routed between';
  for (const items of byDomain.values()) {
    const found = findOverlapGroups(items);
    const shown = { pool: capped((path, message, hint) => ctx.report('hybridnet/validate/address/p2s-pool-overlap', path, message, hint), 'this routing domain'), plain: capped((path, message, hint) => ctx.report('hybridnet/validate/address/domain-overlap', path, message, hint), 'this routing domain') };
    for (const group of found.same) {
      const owners = [...new Set(group.map((g) => g.tag!.label))];
      if (owners.length < 2) continue; // one owner's own prefixes: vnet-self-overlap
      const second = group.find((g) => g.tag!.label !== group[0]!.tag!.label)!;
      const pool = group.some((g) => g.tag!.pool);
      (pool ? shown.pool : shown.plain).add(second.tag!.path, `${owners.length > 5 ? `${owners.slice(0, 5).join(', ')} and ${owners.length - 5} more` : owners.join(', ')} all use ${group[0]!.prefix}, and they reach each other`, pool ? poolHint : renumber);
    }
    for (const { a, b } of found.nested) {
      if (a.tag!.label === b.tag!.label) continue;
      const pool = a.tag!.pool || b.tag!.pool;
      (pool ? shown.pool : shown.plain).add(b.tag!.path, `${b.tag!.label} ${b.prefix} overlaps ${a.tag!.label} ${a.prefix}, and the two reach each other`, pool ? poolHint : renumber);
    }
    shown.pool.done(poolHint);
    shown.plain.done(renumber);
  }
  ctx.topology.azure.vnets.forEach((vnet, v) =>
    vnet.vpnGateway?.pointToSite?.addressPool.forEach((p, i) => {
      if (!coveredBy(ctx, p, RFC1918)) ctx.report('hybridnet/validate/address/p2s-pool-public', ['azure', 'vnets', v, 'vpnGateway', 'pointToSite', 'addressPool', i], `point-to-site pool ${p} of "${vnet.vpnGateway!.name}" is not RFC 1918 space`, 'use a private range such as 172.16.201.0/24');
    }),
  );
}

function checkApipaUnique(ctx: Context): void {
  const seen = new Map<string, string>();
  const claim = (address: string, owner: string, path: ModelPath) => {
    const first = seen.get(address);
    if (first) ctx.report('hybridnet/validate/address/apipa-overlap', path, `APIPA address ${address} of ${owner} is already used by ${first}`, 'give every gateway instance and site its own APIPA address');
    else seen.set(address, owner);
  };
  ctx.topology.azure.vnets.forEach((vnet, v) =>
    vnet.vpnGateway?.bgp?.instances?.forEach((instance, i) =>
      instance.apipa.forEach((address, a) => claim(address, `"${vnet.vpnGateway!.name}" instance ${i}`, ['azure', 'vnets', v, 'vpnGateway', 'bgp', 'instances', i, 'apipa', a])),
    ),
  );
  ctx.topology.sites.forEach((site, s) => {
    if (site.bgp && coveredBy(ctx, `${site.bgp.peerIp}/32`, [APIPA_WINDOW])) claim(site.bgp.peerIp, `site "${site.name}"`, ['sites', s, 'bgp', 'peerIp']);
  });
}
