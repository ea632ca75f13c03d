/**
 * Hosts: each test endpoint, and the hosts the lab adds where an intent names a place without one
 * (a subnet, a site, a prefix, an address on the Internet). A host is a namespace with one
 * interface on its segment's bridge, its default route to the segment's gateway, and a listener
 * on its probe port (SSH 22 on Linux, RDP 3389 on Windows: what verification probes on a real
 * machine; the port a firewall rule passes for an address on the Internet).
 */
import { awsTestEndpointIngress, LISTENER_PORTS, parsePrefix } from '@hybridnet/model';
import { INTERNET, type HostLab, type PlanContext, type Segment } from './context.ts';
import { freeIn } from './gateways.ts';

/** A host on a segment at `address` (or the first free one), listening on `port`. */
export function placeHost(ctx: PlanContext, seg: Segment, label: string, port: number, address?: string): HostLab {
  if (address) {
    const existing = [...ctx.hosts.values(), ...ctx.endpoints.values()].find((h) => h.address === address);
    if (existing) {
      if (!ctx.b.get(existing.node).listen.includes(port)) ctx.b.get(existing.node).listen.push(port);
      return existing;
    }
    ctx.used.add(address);
  }
  const at = address ?? freeIn(ctx, seg.prefixes[0]!, seg.firstHost);
  const id = `h${ctx.hosts.size}`;
  const node = ctx.b.node(id, 'host', label, false);
  const within = seg.prefixes.find((p) => contains(p, at)) ?? `${at}/32`;
  const { memberIf } = ctx.b.attach(seg.bridgeNode, seg.bridge, id, [`${at}/${within.split('/')[1]}`]);
  node.routes.push({ prefix: '0.0.0.0/0', via: [seg.gateway], dev: memberIf, onlink: true });
  node.listen.push(port);
  const host = { node: id, address: at, label, port };
  ctx.hosts.set(id, host);
  return host;
}

/** A host on the Internet at an address inside `prefix` (the first host), listening on `port`. */
export function internetHost(ctx: PlanContext, prefix: string, port: number): HostLab {
  const p = parsePrefix(prefix);
  if (!p.ok) throw new Error(`not a prefix: ${prefix}`);
  const value = Number(p.value.first) + (p.value.length >= 31 ? 0 : 1);
  const address = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
  const existing = ctx.internetHosts.get(address);
  if (existing) {
    if (!ctx.b.get(existing.node).listen.includes(port)) ctx.b.get(existing.node).listen.push(port);
    return existing;
  }
  const id = `w${ctx.internetHosts.size}`;
  const node = ctx.b.node(id, 'host', `a host on the Internet (${address})`, false);
  const link = ctx.b.p2p(INTERNET, id);
  (ctx.b.links.at(-1)!.b.addresses as string[]).push(`${address}/32`);
  node.routes.push({ prefix: '0.0.0.0/0', via: [link.aIp], dev: link.bIf, src: address });
  ctx.b.get(INTERNET).routes.push({ prefix: `${address}/32`, via: [link.bIp], dev: link.aIf });
  node.listen.push(port);
  const host = { node: id, address, label: `${address} (the Internet)`, port };
  ctx.internetHosts.set(address, host);
  return host;
}

export function contains(prefix: string, address: string): boolean {
  const p = parsePrefix(prefix);
  const a = parsePrefix(`${address}/32`);
  return p.ok && a.ok && p.value.version === 4 && p.value.first <= a.value.first && a.value.first <= p.value.last;
}

/** Every test endpoint: in its Azure subnet, or on its site's LAN (the AWS subnet for a site in AWS). */
export function planTestEndpoints(ctx: PlanContext): void {
  for (const t of ctx.topology.testEndpoints) {
    const seg = 'vnet' in t.attach ? ctx.segments.get(`subnet:${t.attach.vnet}/${t.attach.subnet}`) : ctx.segments.get(`site:${t.attach.site}`);
    if (!seg) continue;
    const host = placeHost(ctx, seg, `test endpoint ${t.name}`, LISTENER_PORTS[t.os], t.privateIp);
    ctx.endpoints.set(t.name, { ...host, label: t.name });
    // A machine of a site in AWS sits behind the security group its stack gives it: stateful,
    // letting in only the site's VPC and the Azure prefixes the site's tunnels carry.
    const ingress = 'site' in t.attach ? awsTestEndpointIngress(t.attach.site, ctx.topology, ctx.index) : [];
    if (ingress.length > 0) ctx.b.get(host.node).nft = securityGroup(t.name, ingress);
  }
}

/** An AWS security group as nftables: what it lets in, and the replies of what the machine starts. */
function securityGroup(name: string, ingress: readonly string[]): string {
  return [
    `# the security group of ${name} (gen-cloudformation: its SecurityGroup)`,
    'table inet hnlab_sg {',
    '  chain input {',
    '    type filter hook input priority 0; policy drop;',
    '    iif lo accept',
    '    ct state established,related accept',
    `    ip saddr { ${ingress.join(', ')} } accept`,
    '  }',
    '}',
    '',
  ].join('\n');
}
