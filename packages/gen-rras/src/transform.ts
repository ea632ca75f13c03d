/**
 * Topology → one RrasScript per site whose VPN device is Windows Server RRAS.
 *
 * Each connection to the site builds one interface per Azure gateway instance it tunnels to
 * (two for an active-active gateway). Static routing binds the Azure prefixes the model derives
 * for the site (VNets behind the gateway and its point-to-site pool) to every interface, the
 * preferred tunnel with the lower metric. BGP binds only the Azure instance's BGP address as a
 * host route, peers with it, and originates the site's LAN ranges.
 */
import { azureAddressSpace, connectionKeyParameter, connectionTunnels, gatewayInstanceParameter, rrasInterfaceName, type Diagnostic, type GenerateContext, type SecretRef, type Site, type SiteToSiteConnection, type Topology, type TopologyIndex } from '@hybridnet/model';
import type { RrasCode } from './diagnostics.ts';
import type { RrasBgp, RrasConnection, RrasParameter, RrasScript, RrasSecretSource, RrasTunnel } from './ir.ts';
import { rrasPolicy } from './policy.ts';

function secretSource(ref: SecretRef): RrasSecretSource {
  return {
    describe: describeSecret(ref),
    env: 'env' in ref ? ref.env : null,
    keyVault: 'keyVault' in ref ? { vault: ref.keyVault.vault, secret: ref.keyVault.secret } : null,
    awsSecretsManager: 'awsSecretsManager' in ref ? { secretId: ref.awsSecretsManager.secretId, jsonKey: ref.awsSecretsManager.jsonKey ?? null } : null,
    ssmParameter: 'ssmParameter' in ref ? { name: ref.ssmParameter.name } : null,
  };
}

export function describeSecret(ref: SecretRef): string {
  if ('env' in ref) return `environment variable ${ref.env}`;
  if ('keyVault' in ref) return `Key Vault secret ${ref.keyVault.secret} in vault ${ref.keyVault.vault}`;
  if ('awsSecretsManager' in ref) return `AWS Secrets Manager secret ${ref.awsSecretsManager.secretId}${ref.awsSecretsManager.jsonKey ? ` (key ${ref.awsSecretsManager.jsonKey})` : ''}`;
  return `SSM parameter ${ref.ssmParameter.name}`;
}

export function toRrasScripts(topology: Topology, index: TopologyIndex, context: GenerateContext): { scripts: RrasScript[]; diagnostics: Diagnostic[] } {
  const scripts: RrasScript[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (code: RrasCode, severity: Diagnostic['severity'], path: Diagnostic['path'], message: string, hint: string) => diagnostics.push({ code, severity, path, message, hint });

  topology.sites.forEach((site, s) => {
    if (site.device.type !== 'rras') return;
    const connections = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && c.site === site.name);
    if (connections.length === 0) {
      report('hybridnet/gen-rras/site-without-connection', 'warning', ['sites', s], `no connection reaches RRAS site "${site.name}", so no script is generated for it`, 'add a site-to-site connection to the site');
      return;
    }
    const bgpConnections = connections.filter((c) => c.bgp && site.bgp && index.vpnGateways.get(c.gateway)?.value.bgp);
    if (bgpConnections.length > 0 && site.bgp!.peerIp.startsWith('169.254.')) {
      report('hybridnet/gen-rras/apipa-peer', 'error', ['sites', s, 'bgp', 'peerIp'], `RRAS at "${site.name}" cannot peer from APIPA address ${site.bgp!.peerIp}`, `use the server's LAN address (${site.device.privateIp}) as bgp.peerIp`);
      return;
    }
    scripts.push(scriptFor(site, connections, bgpConnections, topology, index, context));
  });

  return { scripts, diagnostics };
}

function scriptFor(site: Site, connections: SiteToSiteConnection[], bgpConnections: SiteToSiteConnection[], topology: Topology, index: TopologyIndex, context: GenerateContext): RrasScript {
  if (site.device.type !== 'rras') throw new Error('not an RRAS site');
  const parameters: RrasParameter[] = [];
  const ir: RrasConnection[] = [];
  const tunnels: RrasTunnel[] = [];
  const peers: RrasBgp['peers'] = [];

  for (const c of connections) {
    const keyParameter = connectionKeyParameter(c.name);
    const policy = c.ipsecPolicy ? rrasPolicy(c.ipsecPolicy) : null;
    ir.push({ name: c.name, keyParameter, secret: secretSource(c.sharedKey), policy });
    parameters.push({ name: keyParameter, type: 'SecureString', mandatory: false, default: null, help: `Pre-shared key of connection ${c.name}; read from the ${describeSecret(c.sharedKey)} when omitted.` });

    const gateway = index.vpnGateways.get(c.gateway)!.value;
    const bgp = bgpConnections.includes(c);
    const prefixes = azureAddressSpace(c, topology, index);
    // The preferred tunnel (highest weight, else instance 0) gets the lowest metric.
    const ordered = [...connectionTunnels(c, index)].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0) || a.instance - b.instance);
    ordered.forEach((tunnel, rank) => {
      const publicIpParameter = gatewayInstanceParameter(c.gateway, tunnel.instance, 'PublicIp');
      if (!parameters.some((p) => p.name === publicIpParameter)) {
        parameters.push({ name: publicIpParameter, type: 'ipaddress', mandatory: true, default: null, help: `Public IP of instance ${tunnel.instance} of Azure VPN gateway ${c.gateway} (an output of the Azure deployment).` });
      }
      const interfaceName = rrasInterfaceName(c.gateway, tunnel.instance);
      const metric = 100 + rank * 10;
      if (bgp) {
        const bgpIpParameter = gatewayInstanceParameter(c.gateway, tunnel.instance, 'BgpIp');
        const known = tunnel.apipa ?? gateway.bgp?.instances?.[tunnel.instance]?.apipa[0];
        if (!parameters.some((p) => p.name === bgpIpParameter)) {
          parameters.push({ name: bgpIpParameter, type: 'ipaddress', mandatory: !known, default: known ?? null, help: `BGP address of instance ${tunnel.instance} of Azure VPN gateway ${c.gateway} (an output of the Azure deployment).` });
        }
        tunnels.push({ interfaceName, connection: c.name, gateway: c.gateway, instance: tunnel.instance, publicIpParameter, ipv4Routes: [], bgpIpParameter, metric: 100, policy });
        peers.push({ name: interfaceName, gateway: c.gateway, instance: tunnel.instance, peerIpParameter: bgpIpParameter, peerAsn: gateway.bgp!.asn, weight: tunnel.weight ?? 0 });
      } else {
        tunnels.push({
          interfaceName,
          connection: c.name,
          gateway: c.gateway,
          instance: tunnel.instance,
          publicIpParameter,
          // An Azure VPN gateway deployed in a dual-stack VNet still carries only IPv4 over its
          // site-to-site tunnels (github.com/mddazure/ipv6-over-vpn-nva, a Microsoft engineer's lab:
          // "A VPN Gateway can be deployed in a dual stack VNET but will only enable IPv4 over VPN"),
          // so a VNet's IPv6 prefix is never routed into the tunnel.
          ipv4Routes: prefixes.filter((p) => !p.includes(':')).map((p) => `${p}:${metric}`),
          bgpIpParameter: null,
          metric,
          policy,
        });
      }
    });
  }
  parameters.push({ name: 'WaitSeconds', type: 'int', mandatory: false, default: 300, help: 'How long the verification waits for tunnels, BGP sessions and routes.' });

  const bgp: RrasBgp | undefined = bgpConnections.length > 0 ? { identifier: site.device.privateIp, localAddress: site.bgp!.peerIp, localAsn: site.bgp!.asn, advertise: site.bgp!.advertise, peers } : undefined;
  return {
    site: site.name,
    description: site.description ?? null,
    directory: site.name,
    windowsVersion: site.device.windowsVersion,
    serverAddress: site.device.privateIp,
    parameters,
    connections: ir,
    tunnels,
    bgp: bgp ?? null,
    interfaceNames: tunnels.map((t) => t.interfaceName),
    checks: [
      ...tunnels.map((t) => ({ what: `interface ${t.interfaceName} connected`, interface: t.interfaceName, peer: null })),
      ...peers.map((p) => ({ what: `BGP session ${p.name} established`, interface: null, peer: p.name })),
    ],
    expectedRoutes: (context.expectedSiteRoutes.get(site.name) ?? []).filter((prefix) => !prefix.includes(':')),
    awsRegion: site.hosting.type === 'aws' ? site.hosting.region : null,
  };
}
