/**
 * Topology → one CgfFirewall per Barracuda firewall in Azure, and one CgfSiteTunnel per
 * connection to a site whose VPN device is a CloudGen Firewall.
 *
 * Address groups become list network objects (normal CIDR notation, v8+); forwarding rules keep
 * the topology's order (the first at the top, each next one after the previous) and refer to the
 * groups or to the firewall's built-in objects (Any, Trusted LAN, Internet, ...). Each payload's
 * comment ends with a marker derived from its content, so the apply scripts can tell an object
 * that is already as wanted (unchanged) from one to update, without comparing JSON.
 */
import { createHash } from 'node:crypto';
import { addressGroupPrefixes, azureAddressSpace, connectionTunnels, firewallRuleConnection, gatewayInstanceParameter, resourceGroup, type Diagnostic, type Firewall, type SecretRef, type SiteToSiteConnection, type Topology, type TopologyIndex } from '@hybridnet/model';
import type { CgfCode } from './diagnostics.ts';
import type { CgfAddress, CgfEntry, CgfFirewall, CgfNetworkObject, CgfRule, CgfSiteTunnel, CgfStep } from './ir.ts';

const MAX_NAME = 64;
const PREFIX = /^[0-9a-fA-F:.]+\/\d+$/;

function marker(payload: object): string {
  return `hybridnet:${createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 16)}`;
}

/** The payload with its content marker appended to the comment. */
function stamped<T extends { comment: string }>(payload: T): { payload: T; marker: string } {
  const mark = marker(payload);
  return { payload: { ...payload, comment: payload.comment ? `${payload.comment} [${mark}]` : `[${mark}]` }, marker: mark };
}

function entries(values: readonly string[], groups: ReadonlySet<string>): CgfEntry[] {
  return values.map((v) => (PREFIX.test(v) && !groups.has(v) ? { entry: { ip: v } } : { references: v }));
}

function address(values: readonly string[], groups: ReadonlySet<string>): CgfAddress {
  if (values.length === 1 && !PREFIX.test(values[0]!)) return { references: values[0]! };
  return { explicit: { included: entries(values, groups), excluded: [] } };
}

export function toFirewalls(topology: Topology, index: TopologyIndex): { firewalls: CgfFirewall[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (code: CgfCode, path: Diagnostic['path'], message: string, hint: string) => diagnostics.push({ code, severity: 'error', path, message, hint });
  const firewalls = topology.azure.firewalls.map((fw, f) => firewallFor(fw, f, topology, index, report));
  return { firewalls, diagnostics };
}

function firewallFor(fw: Firewall, f: number, topology: Topology, index: TopologyIndex, report: (code: CgfCode, path: Diagnostic['path'], message: string, hint: string) => void): CgfFirewall {
  const base = ['azure', 'firewalls', f];
  const groups = new Set(fw.addressGroups.map((g) => g.name));
  const steps: CgfStep[] = [];
  let n = 0;
  const file = (kind: string, name: string) => `payloads/${String(++n).padStart(2, '0')}-${kind}-${name}.json`;

  fw.addressGroups.forEach((group, g) => {
    if (group.name.length > MAX_NAME) report('hybridnet/gen-barracuda/name-too-long', [...base, 'addressGroups', g, 'name'], `network object name "${group.name}" is longer than ${MAX_NAME} characters`, 'shorten the group name');
    const prefixes = addressGroupPrefixes(group, index);
    if (prefixes.length === 0) report('hybridnet/gen-barracuda/empty-group', [...base, 'addressGroups', g], `address group "${group.name}" of "${fw.name}" holds no address`, 'add prefixes, or objects that have addresses (a VNet, a gateway with a point-to-site pool, a site)');
    const v6 = prefixes.some((p) => p.includes(':'));
    const v4 = prefixes.some((p) => !p.includes(':'));
    const object: CgfNetworkObject = {
      name: group.name,
      type: v4 && v6 ? 'generic' : v6 ? 'listIPv6Network' : 'listIPv4Network',
      comment: group.objects.length > 0 ? `from ${group.objects.join(', ')}` : '',
      included: prefixes.map((ip) => ({ entry: { ip } })),
      excluded: [],
    };
    const { payload, marker: mark } = stamped(object);
    steps.push({ collection: 'objects/networks', name: group.name, file: file('network', group.name), marker: mark, payload });
  });

  fw.rules.forEach((rule, r) => {
    if (rule.name.length > MAX_NAME) report('hybridnet/gen-barracuda/name-too-long', [...base, 'rules', r, 'name'], `rule name "${rule.name}" is longer than ${MAX_NAME} characters`, 'shorten the rule name');
    const previous = fw.rules[r - 1];
    const cgf: CgfRule = {
      name: rule.name,
      comment: rule.comment ?? '',
      deactivated: false,
      bidirectional: false,
      ipVersion: 'IPv4',
      position: previous ? { placement: 'after', reference: previous.name } : { placement: 'top' },
      source: address(rule.source, groups),
      destination: address(rule.destination, groups),
      service: rule.services.length === 1 ? { references: rule.services[0]! } : { explicit: { entries: rule.services.map((s) => ({ references: s })) } },
      // Toward public space the source must become the firewall's own address: Azure translates
      // only the NIC's address to its public IP or NAT gateway, so replies to any other return nowhere.
      action: rule.action === 'pass' ? { type: 'pass', connection: { references: firewallRuleConnection(rule, fw, index) === 'dynamic-nat' ? 'Dynamic SNAT' : 'Original Source IP' } } : { type: rule.action },
    };
    const { payload, marker: mark } = stamped(cgf);
    steps.push({ collection: 'rules', name: rule.name, file: file('rule', rule.name), marker: mark, payload });
  });

  const inboundRoutes = topology.azure.routeTables.flatMap((table) =>
    table.routes
      .filter((route) => typeof route.nextHop === 'object' && route.nextHop.virtualAppliance === fw.name)
      .map((route) => ({
        routeTable: table.name,
        route: route.name,
        prefix: route.prefix,
        subnets: topology.azure.vnets.flatMap((v) => v.subnets.filter((s) => s.routeTable === table.name).map((s) => `${v.name}/${s.name}`)),
      })),
  );
  return { name: fw.name, privateIp: fw.privateIp, resourceGroup: resourceGroup(topology, 'firewall'), steps, inboundRoutes };
}

function describeSecret(ref: SecretRef): string {
  if ('env' in ref) return `environment variable ${ref.env}`;
  if ('keyVault' in ref) return `Key Vault ${ref.keyVault.vault}, secret ${ref.keyVault.secret}`;
  if ('awsSecretsManager' in ref) return `AWS Secrets Manager secret ${ref.awsSecretsManager.secretId}`;
  return `SSM parameter ${ref.ssmParameter.name}`;
}

/** The tunnel sheet for every connection to a site whose VPN device is a CloudGen Firewall. */
export function toSiteTunnels(topology: Topology, index: TopologyIndex): CgfSiteTunnel[] {
  return topology.connections
    .filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && index.sites.get(c.site)?.value.device.type === 'barracuda')
    .map((c) => {
      const site = index.sites.get(c.site)!.value;
      const p = c.ipsecPolicy;
      return {
        site: site.name,
        connection: c.name,
        gateway: c.gateway,
        instances: connectionTunnels(c, index).map((t) => ({ instance: t.instance, publicIpOutput: gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp') })),
        localNetworks: site.lan,
        remoteNetworks: azureAddressSpace(c, topology, index),
        ikeVersion: c.ikeVersion,
        policy: p
          ? [
              { label: 'Phase 1 encryption / hash / DH group', value: `${p.ikeEncryption} / ${p.ikeIntegrity} / ${p.dhGroup}` },
              { label: 'Phase 2 encryption / hash / PFS', value: `${p.ipsecEncryption} / ${p.ipsecIntegrity} / ${p.pfsGroup}` },
              { label: 'Phase 2 lifetime', value: `${p.saLifeTimeSeconds} s, ${p.saDataSizeKilobytes} KB` },
            ]
          : [{ label: 'Policy', value: "Azure's default IKEv2 proposals (for example AES256 / SHA256 / DH group 2 in phase 1); no custom policy on this connection" }],
        secret: describeSecret(c.sharedKey),
        bgp: c.bgp && site.bgp ? `AS ${site.bgp.asn}, peer address ${site.bgp.peerIp}, advertise ${site.bgp.advertise.join(', ')}` : null,
      };
    });
}
