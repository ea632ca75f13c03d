import { afterEach, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { run } from '@hybridnet/cli';
import { TARGETS } from '../src/targets.ts';
import { startMockArm, type MockArm } from './mock-arm.ts';

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000aa';
const PSK = 'psk-Hx72-never-anywhere-else';
const B2B = 'examples/branch-to-branch/topology.yaml';
const credential: TokenCredential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

async function deploy(arm: MockArm, argv: string[], environment: Record<string, string> = { HUB_BRANCH_RRAS_PSK: PSK, TEST_VM_PASSWORD: 'vm-Pw-55-never-printed' }) {
  let stdout = '';
  let stderr = '';
  const code = await run(['deploy', 'azure', B2B, '--subscription', SUBSCRIPTION, ...argv], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, TARGETS, {
    credential: () => credential,
    environment,
    overrides: { endpoint: arm.endpoint, ca: arm.ca, pollIntervalMs: 1 },
  });
  return { code, stdout, stderr };
}

describe('hybridnet deploy azure against a Resource Manager on 127.0.0.1', () => {
  let arm: MockArm | undefined;
  afterEach(async () => arm?.close());

  it('creates the resource group, deploys, shows each resource as it changes, and prints the outputs', async () => {
    arm = await startMockArm();
    const result = await deploy(arm, []);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const base = `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-b2b-network`;
    const deployment = `${base}/providers/Microsoft.Resources/deployments/hybridnet-branch-to-branch`;
    const operations = `${base}/deployments/hybridnet-branch-to-branch/operations`;
    expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT ${base}`,
      `PUT /subscriptions/${SUBSCRIPTION}/resourcegroups/rg-b2b-test`,
      `PUT ${deployment}`,
      `GET ${deployment}/operationStatuses/deploy`,
      `GET ${operations}`,
      `GET ${deployment}/operationStatuses/deploy`,
      `GET ${operations}`,
      `GET ${deployment}/operationStatuses/deploy`,
      `GET ${deployment}`,
      `GET ${operations}`,
    ]);
    expect(arm.requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(result.stdout).toMatch(/Microsoft\.Network\/virtualNetworkGateways vgw-hub: Running\n.*Microsoft\.Network\/virtualNetworkGateways vgw-hub: Succeeded/);
    expect(result.stdout).toContain('output VgwHubInstance0PublicIp = 20.1.2.3');
  });

  it('sends the shared key only as the value of its secure parameter, and the Key Vault key as a reference', async () => {
    arm = await startMockArm();
    await deploy(arm, []);
    const put = arm.requests.find((r) => r.method === 'PUT' && r.path.includes('/deployments/'))!;
    const body = JSON.parse(put.body) as { properties: { template: { parameters: Record<string, { type: string }>; resources: { name: string; properties: Record<string, unknown> }[] }; parameters: Record<string, unknown> } };
    expect(body.properties.template.parameters.HubToBranchRrasSharedKey!.type).toBe('securestring');
    expect(body.properties.parameters.HubToBranchRrasSharedKey).toEqual({ value: PSK });
    expect(body.properties.template.resources.find((r) => r.name === 'hub-to-branch-rras')!.properties.sharedKey).toBe("[parameters('HubToBranchRrasSharedKey')]");
    expect(put.body.split(PSK)).toHaveLength(2); // exactly once
    expect(body.properties.parameters.HubToBranchErAuthorizationKey).toEqual({ reference: { keyVault: { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-network/providers/Microsoft.KeyVault/vaults/kv-b2b-hub` }, secretName: 'er-authorization-key' } });
    for (const r of arm.requests.filter((x) => x !== put)) expect(r.body).not.toContain(PSK);
  });

  it('prints Azure\'s error for the failing resource and exits 1', async () => {
    arm = await startMockArm({ fail: true });
    const result = await deploy(arm, []);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed: ');
    expect(result.stdout).toContain('Microsoft.Network/virtualNetworkGateways vgw-hub: GatewaySubnetTooSmall: GatewaySubnet must be /27 or larger when gateways co-exist.');
    expect(result.stdout).not.toContain(PSK);
    expect(result.stdout).not.toContain('vm-Pw-55-never-printed');
  });

  it('--what-if lists the changes and changes nothing (no PUT at all)', async () => {
    arm = await startMockArm({ existingGroups: ['rg-b2b-network', 'rg-b2b-test'] });
    const result = await deploy(arm, ['--what-if']);
    expect(result.code).toBe(0);
    // Azure's own what-if layout: per scope, a symbol per resource, property changes beneath.
    expect(result.stdout).toContain(
      [
        'Scope: /subscriptions/s/resourceGroups/rg',
        '',
        '  + Microsoft.Network/connections/cn-hub-branch [2025-05-01]',
        '    + location: "westeurope"',
        '    + properties.connectionType: "IPsec"',
        '    + properties.connectionProtocol: "IKEv2"',
        '    + properties.sharedKey: (secret)',
        '    + properties.routingWeight: 0',
        '',
        '  = Microsoft.Network/virtualNetworkGateways/vgw-hub [2025-05-01]',
        '',
        '  ~ Microsoft.Network/virtualNetworks/vnet-hub [2025-05-01]',
        '    ~ properties.addressSpace.addressPrefixes: [',
        '      + 1: "10.1.0.0/16"',
        '      ]',
        '    ~ properties.enableDdosProtection: true => false',
        '    - tags.owner: "netops"',
        '',
        'Resource changes: 1 to create, 1 to modify, 1 no change.',
        '',
      ].join('\n'),
    );
    expect(result.stdout).not.toContain('never-printed-psk');
    expect(result.stdout).not.toContain('\u001b');
    expect(arm.requests.map((r) => r.method + ' ' + r.path.split('/').slice(-1)[0])).toEqual(['HEAD rg-b2b-network', 'HEAD rg-b2b-test', 'POST whatIf', 'GET 1']);
  });

  it('--what-if reports missing resource groups as changes and creates none', async () => {
    arm = await startMockArm({ existingGroups: ['rg-b2b-test'] });
    const result = await deploy(arm, ['--what-if']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  Create   resource group rg-b2b-network (');
    expect(result.stdout).toContain('every resource of the template would be created:');
    // Listed from the template, each in the group it deploys into, as Azure's what-if lists them.
    expect(result.stdout).toContain(`Scope: /subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-network\n\n  + Microsoft.Network/connections/hub-to-branch-er [`);
    expect(result.stdout).toContain('\n  + Microsoft.Network/virtualHubs/rs-hub/ipConfigurations/ipconfig1 [2025-05-01]\n\n');
    expect(result.stdout).toContain(`Scope: /subscriptions/${SUBSCRIPTION}/resourceGroups/rg-b2b-test\n`);
    expect(result.stdout).toMatch(/Resource changes: \d+ to create\.\n$/);
    expect(arm.requests.filter((r) => r.method !== 'HEAD' && r.method !== 'GET')).toEqual([]);
  });

  it('says how to sign in when there is no credential, with exit code 3 and no stack trace', async () => {
    arm = await startMockArm();
    let stderr = '';
    const failing: TokenCredential = {
      getToken: async () => {
        const error = new Error('ChainedTokenCredential authentication failed.\nCredentialUnavailableError: Azure CLI could not be found.');
        error.name = 'AggregateAuthenticationError';
        throw error;
      },
    };
    const code = await run(['deploy', 'azure', B2B, '--subscription', SUBSCRIPTION, '--what-if'], { out: () => {}, err: (t) => void (stderr += t) }, TARGETS, { credential: () => failing, environment: { HUB_BRANCH_RRAS_PSK: PSK, TEST_VM_PASSWORD: 'x' }, overrides: { endpoint: arm.endpoint, ca: arm.ca, pollIntervalMs: 1 } });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^hybridnet: not signed in to Azure: run `az login`/);
    expect(stderr).not.toContain('    at ');
  });

  it('names the missing role on 403', async () => {
    arm = await startMockArm({ status: 403 });
    const result = await deploy(arm, []);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Azure refused the request (403 AuthorizationFailed): the signed-in identity needs Contributor');
  });

  it('says Azure cannot be reached when nothing answers', async () => {
    let stderr = '';
    const code = await run(['deploy', 'azure', B2B, '--subscription', SUBSCRIPTION], { out: () => {}, err: (t) => void (stderr += t) }, TARGETS, { credential: () => credential, environment: { HUB_BRANCH_RRAS_PSK: PSK, TEST_VM_PASSWORD: 'x' }, overrides: { endpoint: 'https://127.0.0.1:9', pollIntervalMs: 1 } });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^hybridnet: cannot reach Azure Resource Manager \(ECONNREFUSED\)/);
  });

  it('names a missing secret without sending anything', async () => {
    arm = await startMockArm();
    const result = await deploy(arm, [], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hybridnet: missing deployment parameters: HubToBranchRrasSharedKey (secret: set HUB_BRANCH_RRAS_PSK); VmSpokeAppAdminPassword (secret: set TEST_VM_PASSWORD)\n');
    expect(arm.requests).toEqual([]);
  });
});

describe('hybridnet deploy azure: the steps around the template', () => {
  let arm: MockArm | undefined;
  afterEach(async () => arm?.close());
  const WEBAPP = 'examples/webapp-hybrid/topology.yaml';

  async function deployWebapp(mock: MockArm, argv: string[] = []) {
    let stdout = '';
    let stderr = '';
    const code = await run(['deploy', 'azure', WEBAPP, '--subscription', SUBSCRIPTION, '--parameter', 'OnpremAwsPublicIp=198.51.100.20', ...argv], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, TARGETS, {
      credential: () => credential,
      environment: { HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY: PSK },
      overrides: { endpoint: mock.endpoint, ca: mock.ca, pollIntervalMs: 1 },
    });
    return { code, stdout, stderr };
  }

  it('accepts the firewall image terms first, then binds the gateway-required app to its gateway after the template', async () => {
    arm = await startMockArm({ trustedCertificates: [{ name: 'appservice-app-webapp-hybrid' }] });
    const result = await deployWebapp(arm);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sub = `/subscriptions/${SUBSCRIPTION}`;
    const terms = `${sub}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/barracudanetworks/offers/barracuda-ng-firewall/plans/cgf-hourly/agreements/current`;
    const gateway = `${sub}/resourceGroups/rg-webapp-hybrid-network/providers/Microsoft.Network/virtualNetworkGateways/vgw-webapp`;
    const binding = `${sub}/resourceGroups/rg-webapp-hybrid-app/providers/Microsoft.Web/sites/app-webapp-hybrid/virtualNetworkConnections/vnet-webapp/gateways/primary`;
    const calls = arm.requests.map((r) => `${r.method} ${r.path}`);
    // Terms before the deployment, the binding after it, in this order.
    expect(calls.slice(calls.indexOf(`GET ${terms}`), calls.indexOf(`GET ${terms}`) + 2)).toEqual([`GET ${terms}`, `PUT ${terms}`]);
    expect(calls.indexOf(`PUT ${terms}`)).toBeLessThan(calls.findIndex((c) => c.includes('/deployments/hybridnet-webapp-hybrid') && c.startsWith('PUT')));
    expect(calls.slice(-4)).toEqual([`GET ${gateway}`, `POST ${gateway}/generatevpnclientpackage`, 'GET /subscriptions/s/providers/Microsoft.Network/locations/westeurope/operationResults/pkg', `PUT ${binding}`]);
    const accept = arm.requests.find((r) => r.method === 'PUT' && r.path === terms)!;
    expect(JSON.parse(accept.body)).toMatchObject({ properties: { accepted: true, signature: 'SIG', plan: 'cgf-hourly' } });
    expect(JSON.parse(arm.requests.find((r) => r.method === 'POST')!.body)).toEqual({ processorArchitecture: 'Amd64' });
    expect(JSON.parse(arm.requests.at(-1)!.body)).toEqual({ properties: { vnetName: 'vnet-webapp', vpnPackageUri: 'https://vpnclient.example.invalid/package.zip?sig=abc' } });
    expect(result.stdout).toContain('Marketplace terms of barracudanetworks:barracuda-ng-firewall:cgf-hourly: accepted');
    expect(result.stdout).toMatch(/generating the VPN client package of vgw-webapp\n.*bound to vgw-webapp/);
    for (const r of arm.requests) expect(r.body).not.toContain('vm-Pw');
  });

  it('runs again without changing what is done: terms already accepted are left, the binding is the same', async () => {
    arm = await startMockArm({ termsAccepted: true, trustedCertificates: [{ name: 'appservice-app-webapp-hybrid' }] });
    const result = await deployWebapp(arm);
    expect(result.code).toBe(0);
    expect(arm.requests.filter((r) => r.path.includes('MarketplaceOrdering')).map((r) => r.method)).toEqual(['GET']);
    expect(result.stdout).toContain('already accepted');
    expect(JSON.parse(arm.requests.at(-1)!.body)).toEqual({ properties: { vnetName: 'vnet-webapp', vpnPackageUri: 'https://vpnclient.example.invalid/package.zip?sig=abc' } });
  });

  it('stops with a clear message when the gateway does not trust the app (nothing bound)', async () => {
    arm = await startMockArm({ termsAccepted: true, trustedCertificates: [] });
    const result = await deployWebapp(arm);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('gateway vgw-webapp does not trust the app\'s certificate (root certificate appservice-app-webapp-hybrid missing)');
    expect(arm.requests.some((r) => r.path.endsWith('/gateways/primary'))).toBe(false);
  });

  it('--what-if names the terms it would accept and binds nothing', async () => {
    arm = await startMockArm({ existingGroups: ['rg-webapp-hybrid-network'] });
    const result = await deployWebapp(arm, ['--what-if']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would accept the Marketplace terms of barracudanetworks:barracuda-ng-firewall:cgf-hourly');
    expect(arm.requests.some((r) => r.path.includes('MarketplaceOrdering') || r.path.includes('generatevpnclientpackage'))).toBe(false);
  });
});
