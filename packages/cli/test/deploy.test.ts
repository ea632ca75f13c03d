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

  it('--what-if lists the changes and deploys nothing', async () => {
    arm = await startMockArm();
    const result = await deploy(arm, ['--what-if']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('what-if: 2 changes\n  Create   /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub');
    expect(arm.requests.map((r) => r.method + ' ' + r.path.split('/').slice(-1)[0])).toEqual(['PUT rg-b2b-network', 'PUT rg-b2b-test', 'POST whatIf', 'GET 1']);
  });

  it('names a missing secret without sending anything', async () => {
    arm = await startMockArm();
    const result = await deploy(arm, [], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hybridnet: missing deployment parameters: HubToBranchRrasSharedKey (secret: set HUB_BRANCH_RRAS_PSK); VmSpokeAppAdminPassword (secret: set TEST_VM_PASSWORD)\n');
    expect(arm.requests).toEqual([]);
  });
});
