/**
 * A stand-in for Azure Resource Manager on 127.0.0.1 (HTTPS with a throwaway self-signed
 * certificate, because the SDK sends bearer tokens over TLS only). It plays resource groups, a
 * deployment as a long-running operation polled through Azure-AsyncOperation, the deployment's
 * operations changing state as it is polled, what-if through a Location header, and a failing
 * resource, Marketplace terms, and the gateway-required App Service binding (the gateway, its VPN
 * client package as a long-running POST, the app's gateway). Every request is recorded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ArmRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface MockArm {
  readonly endpoint: string;
  readonly ca: string;
  readonly requests: ArmRequest[];
  close(): Promise<void>;
}

/**
 * What Azure's network reads answer, by resource name (fixtures/azure-network/*.json): each
 * gateway's learned routes and BGP peers, each connection's status, each NIC's effective routes,
 * the Network Watchers, and Network Watcher's next hop by `source>destination`.
 */
export interface NetworkFixture {
  learnedRoutes: Record<string, Record<string, unknown>[]>;
  bgpPeers: Record<string, Record<string, unknown>[]>;
  /** By `gateway peer`. */
  advertisedRoutes: Record<string, Record<string, unknown>[]>;
  connections: Record<string, string>;
  effectiveRoutes: Record<string, Record<string, unknown>[]>;
  networkWatchers: Record<string, unknown>[];
  nextHops: Record<string, Record<string, unknown>>;
}

export async function startMockArm(options: { fail?: boolean; runningPolls?: number; termsAccepted?: boolean; trustedCertificates?: { name: string }[]; existingGroups?: string[]; status?: number; network?: NetworkFixture } = {}): Promise<MockArm> {
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-arm-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const requests: ArmRequest[] = [];
  let polls = 0;
  let termsAccepted = options.termsAccepted ?? false;
  const runningPolls = options.runningPolls ?? 2;
  let endpoint = '';

  const operations = () => {
    const gatewayState = polls <= 1 ? 'Running' : options.fail ? 'Failed' : 'Succeeded';
    return {
      value: [
        { id: 'op1', operationId: 'op1', properties: { provisioningState: 'Succeeded', targetResource: { resourceType: 'Microsoft.Network/virtualNetworks', resourceName: 'vnet-hub' } } },
        {
          id: 'op2',
          operationId: 'op2',
          properties: {
            provisioningState: gatewayState,
            targetResource: { resourceType: 'Microsoft.Network/virtualNetworkGateways', resourceName: 'vgw-hub' },
            ...(gatewayState === 'Failed' ? { statusMessage: { error: { code: 'GatewaySubnetTooSmall', message: 'GatewaySubnet must be /27 or larger when gateways co-exist.' } } } : {}),
          },
        },
      ],
    };
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const path = url.pathname;
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      // Deployment operations are listed on ARM's older route, without providers/Microsoft.Resources.
      const deployment = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/(?:providers\/Microsoft\.Resources\/)?deployments\/([^/]+)(\/operations|\/whatIf)?$/i.exec(path);
      if (options.status) return json(options.status, { error: { code: options.status === 403 ? 'AuthorizationFailed' : 'TooManyRequests', message: `The client does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write'.` } });
      if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(path) && req.method === 'HEAD') {
        res.writeHead((options.existingGroups ?? []).includes(path.split('/').pop()!) ? 204 : 404);
        return res.end();
      }
      if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(path) && req.method === 'PUT') return json(200, { id: path, name: path.split('/').pop(), location: JSON.parse(body).location, properties: { provisioningState: 'Succeeded' } });
      if (path.endsWith('/operationStatuses/deploy')) {
        polls++;
        if (polls <= runningPolls) return json(200, { status: 'Running' });
        return options.fail ? json(200, { status: 'Failed', error: { code: 'DeploymentFailed', message: 'At least one resource deployment operation failed.' } }) : json(200, { status: 'Succeeded' });
      }
      if (path.endsWith('/whatIfResults/1')) return json(200, { status: 'Succeeded', properties: { changes: WHAT_IF_CHANGES } });
      if (deployment && deployment[3] === '/operations') return json(200, operations());
      if (deployment && deployment[3] === '/whatIf') return json(202, {}, { location: `${endpoint}/subscriptions/s/providers/Microsoft.Resources/whatIfResults/1?api-version=2025-04-01` });
      if (deployment && req.method === 'PUT') return json(201, { id: path, name: deployment[2], properties: { provisioningState: 'Accepted' } }, { 'azure-asyncoperation': `${endpoint}${path}/operationStatuses/deploy?api-version=2025-04-01` });
      // Marketplace terms: not accepted until PUT.
      if (/\/providers\/Microsoft\.MarketplaceOrdering\/offerTypes\/virtualmachine\/publishers\/barracudanetworks\/offers\/barracuda-ng-firewall\/plans\/[^/]+\/agreements\/current$/.test(path)) {
        if (req.method === 'PUT') {
          termsAccepted = true;
          return json(200, JSON.parse(body));
        }
        return json(200, { id: path, name: 'current', type: 'Microsoft.MarketplaceOrdering/offertypes', properties: { publisher: 'barracudanetworks', product: 'barracuda-ng-firewall', plan: path.split('/').at(-3), licenseTextLink: 'https://example.invalid/terms', signature: 'SIG', accepted: termsAccepted } });
      }
      // The gateway as the template left it (trusting the app's certificate), its VPN client
      // package as a long-running POST, and the app's gateway binding.
      if (/\/virtualNetworkGateways\/[^/]+$/.test(path) && req.method === 'GET') return json(200, { id: path, name: path.split('/').pop(), properties: { vpnClientConfiguration: { vpnClientRootCertificates: options.trustedCertificates ?? [] } } });
      if (path.endsWith('/generatevpnclientpackage') && req.method === 'POST') return json(202, {}, { location: `${endpoint}/subscriptions/s/providers/Microsoft.Network/locations/westeurope/operationResults/pkg?api-version=2025-05-01` });
      if (path.endsWith('/operationResults/pkg')) return json(200, 'https://vpnclient.example.invalid/package.zip?sig=abc');
      if (/\/virtualNetworkConnections\/[^/]+\/gateways\/primary$/.test(path) && req.method === 'PUT') return json(200, { id: path, name: 'primary', properties: JSON.parse(body).properties });
      const net = options.network && networkRead(options.network, req.method ?? '', path, body, url.searchParams);
      if (net) return json(net[0], net[1]);
      if (deployment && req.method === 'GET') return json(200, { id: path, name: deployment[2], properties: { provisioningState: 'Succeeded', outputs: { VgwHubInstance0PublicIp: { type: 'String', value: '20.1.2.3' } } } });
      return json(404, { error: { code: 'NotFound', message: `no route for ${req.method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, ca: cert, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The network reads `hybridnet verify azure` makes, answered from a fixture (404 for what it lacks). */
function networkRead(f: NetworkFixture, method: string, path: string, body: string, query: URLSearchParams): [number, unknown] | undefined {
  const m = /\/providers\/Microsoft\.Network\/(virtualNetworkGateways|connections|networkInterfaces|networkWatchers)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  const [, kind, name, action] = m;
  const missing: [number, unknown] = [404, { error: { code: 'ResourceNotFound', message: `The Resource '${name}' was not found.` } }];
  const list = (value: unknown[] | undefined): [number, unknown] => (value ? [200, { value }] : missing);
  if (kind === 'virtualNetworkGateways' && method === 'POST' && action === 'getLearnedRoutes') return list(f.learnedRoutes[name!]);
  if (kind === 'virtualNetworkGateways' && method === 'POST' && action === 'getBgpPeerStatus') return list(f.bgpPeers[name!]);
  if (kind === 'virtualNetworkGateways' && method === 'POST' && action === 'getAdvertisedRoutes') return list(f.advertisedRoutes[`${name} ${query.get('peer')}`]);
  const gateway = path.replace(/connections\/[^/]+$/, 'virtualNetworkGateways/gw');
  if (kind === 'connections' && method === 'GET' && !action) return f.connections[name!] ? [200, { id: path, name, properties: { connectionType: 'IPsec', virtualNetworkGateway1: { id: gateway, properties: { gatewayType: 'Vpn' } }, connectionStatus: f.connections[name!] } }] : missing;
  if (kind === 'networkInterfaces' && method === 'POST' && action === 'effectiveRouteTable') return list(f.effectiveRoutes[name!]);
  if (kind === 'networkWatchers' && method === 'GET' && !name) return [200, { value: f.networkWatchers }];
  if (kind === 'networkWatchers' && method === 'POST' && action === 'nextHop') {
    const q = JSON.parse(body) as { sourceIPAddress: string; destinationIPAddress: string };
    const hop = f.nextHops[`${q.sourceIPAddress}>${q.destinationIPAddress}`];
    return hop ? [200, hop] : [400, { error: { code: 'InvalidRequest', message: `no next hop for ${q.sourceIPAddress} to ${q.destinationIPAddress}` } }];
  }
  return undefined;
}

/**
 * What Azure's what-if answers for a redeploy (the shape of Microsoft.Resources whatIfResults): a
 * VNet whose address space and a subnet changed, a new connection (with a key Azure would never
 * echo, to prove it is not printed), a gateway unchanged.
 */
export const WHAT_IF_CHANGES = [
  {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub',
    changeType: 'Modify',
    before: { apiVersion: '2025-05-01', id: 'x', name: 'vnet-hub', type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } },
    after: { apiVersion: '2025-05-01', id: 'x', name: 'vnet-hub', type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16', '10.1.0.0/16'] } } },
    delta: [
      { path: 'properties.addressSpace.addressPrefixes', propertyChangeType: 'Array', children: [{ path: '1', propertyChangeType: 'Create', after: '10.1.0.0/16' }] },
      { path: 'properties.enableDdosProtection', propertyChangeType: 'Modify', before: true, after: false },
      { path: 'tags.owner', propertyChangeType: 'Delete', before: 'netops' },
    ],
  },
  {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/cn-hub-branch',
    changeType: 'Create',
    after: { apiVersion: '2025-05-01', id: 'y', name: 'cn-hub-branch', type: 'Microsoft.Network/connections', location: 'westeurope', properties: { connectionType: 'IPsec', connectionProtocol: 'IKEv2', sharedKey: 'never-printed-psk', routingWeight: 0 } },
  },
  {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/vgw-hub',
    changeType: 'NoChange',
    before: { apiVersion: '2025-05-01' },
    after: { apiVersion: '2025-05-01' },
  },
];
