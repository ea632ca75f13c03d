/**
 * `hybridnet deploy azure`, run as users run it (the bundle, as a process), signed in through the
 * Azure CLI, against a local Resource Manager that answers as Microsoft's own samples do
 * (tools/test-support/arm-stand-in.ts). Where a test needs other data than a sample holds, it
 * builds a variant from the sample in memory and says what it changed.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startArmStandIn, skipWithoutSamples, type ArmStandIn, type StandInOptions, type Variant } from '../../../tools/test-support/arm-stand-in.ts';
import { azureEnvironment, cloudProxy, fakeAz, TEST_SUBSCRIPTION, TEST_TOKEN, type CloudProxy, type FakeAz } from '../../../tools/test-support/azure-session.ts';
import { cli } from './helpers.ts';

const PSK = 'psk-Hx72-never-anywhere-else';
const VM_PASSWORD = 'vm-Pw-55-never-printed';
const B2B = 'examples/branch-to-branch/topology.yaml';
const WEBAPP = 'examples/webapp-hybrid/topology.yaml';
const SECRETS = { HUB_BRANCH_RRAS_PSK: PSK, TEST_VM_PASSWORD: VM_PASSWORD };
const PACKAGE = 'https://vpnclient.example.invalid/package.zip?sig=abc';
const sub = `/subscriptions/${TEST_SUBSCRIPTION}`;

type Json = Record<string, unknown> & { properties?: Record<string, unknown> };
/** A variant of a sample: its body with `properties` merged. */
const withProperties = (properties: Record<string, unknown>): Variant => ({ sample }) => ({ body: { ...(sample as Json), properties: { ...(sample as Json).properties, ...properties } } });
/** The sample deployment (PutDeploymentResourceGroup.json) with outputs, as a deployment of ours would end. */
const deploymentWithOutputs: Variant = ({ sample, held }) => (held ? undefined : { body: { ...(sample as Json), properties: { ...(sample as Json).properties, outputs: { VgwHubInstance0PublicIp: { type: 'String', value: '20.1.2.3' } } } } });
/** The gateway (VirtualNetworkGatewayGet.json) trusting the app's root certificate, as the template leaves it. */
const trustingGateway = withProperties({ vpnClientConfiguration: { vpnClientRootCertificates: [{ name: 'appservice-app-webapp-hybrid', properties: { publicCertData: 'MIIC' } }] } });
/** GetMarketplaceTerms.json shows the terms accepted; a subscription that never accepted them says false, until they are. */
const termsNotYetAccepted: Variant = ({ sample, held }) => (held ? { body: held } : withProperties({ accepted: false })({ sample } as never));

describe.skipIf(skipWithoutSamples('deploy azure against the local Resource Manager'))('hybridnet deploy azure against a Resource Manager that answers as Microsoft documents', () => {
  let arm: ArmStandIn | undefined;
  let az: FakeAz;
  let proxy: CloudProxy | undefined;
  afterEach(async () => {
    await arm?.close();
    await proxy?.close();
    arm = proxy = undefined;
  });
  const start = async (options: StandInOptions = {}) => {
    arm = await startArmStandIn({ ...options, variants: { Deployments_CreateOrUpdate: deploymentWithOutputs, ...options.variants } });
    az = fakeAz();
    return arm;
  };
  const deploy = (topology: string, argv: string[], env: Record<string, string | undefined> = SECRETS) => cli(['deploy', 'azure', topology, ...argv], { env: azureEnvironment(arm!, az, env) });
  const calls = () => arm!.requests.map((r) => `${r.method} ${r.path}`);

  it('creates the missing resource groups, deploys, shows each resource as it changes, and prints the outputs', async () => {
    await start({ existing: { [`${sub}/resourcegroups/rg-b2b-test`]: { name: 'rg-b2b-test', location: 'westeurope', tags: { owner: 'netops' } } } });
    const result = await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rg = `${sub}/resourcegroups/rg-b2b-network`;
    const deployment = `${rg}/providers/Microsoft.Resources/deployments/hybridnet-branch-to-branch`;
    expect(calls()).toEqual([
      'GET /metadata/endpoints',
      `HEAD ${rg}`,
      `HEAD ${sub}/resourcegroups/rg-b2b-test`,
      `PUT ${rg}`,
      `PUT ${deployment}`,
      `GET ${sub}/providers/Microsoft.Resources/locations/westeurope/operations/op-1`,
      `GET ${rg}/deployments/hybridnet-branch-to-branch/operations`,
      `GET ${sub}/providers/Microsoft.Resources/locations/westeurope/operations/op-1`,
      `GET ${deployment}`,
      `GET ${rg}/deployments/hybridnet-branch-to-branch/operations`,
      `GET ${rg}/deployments/hybridnet-branch-to-branch/operations`,
    ]);
    expect(arm!.unmatched).toEqual([]);
    expect(arm!.requests.filter((r) => r.method !== 'GET' || !r.path.startsWith('/metadata')).every((r) => r.authorization === `Bearer ${TEST_TOKEN}`)).toBe(true);
    // The group that existed keeps its owner's tags: nothing was sent to it but a HEAD.
    expect(JSON.parse(arm!.requests[3]!.body)).toEqual({ location: 'westeurope', tags: { 'hybridnet:topology': 'branch-to-branch' } });
    expect(result.stdout).toContain('resource group rg-b2b-test: exists, left as it is');
    expect(result.stdout).toMatch(/Microsoft\.Network\/virtualNetworkGateways vgw-hub: Running\n[^]*Microsoft\.Network\/virtualNetworkGateways vgw-hub: Succeeded/);
    expect(result.stdout).toContain('output VgwHubInstance0PublicIp = 20.1.2.3');
    // The token was asked of the Azure CLI once, for this Resource Manager.
    expect(az.calls().filter((c) => c[1] === 'get-access-token')).toEqual([['account', 'get-access-token', '--output', 'json', '--resource', arm!.endpoint]]);
  });

  it('sends the shared key only as the value of its secure parameter, and the Key Vault key as a reference', async () => {
    await start();
    expect((await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION])).code).toBe(0);
    const put = arm!.requests.find((r) => r.operationId === 'Deployments_CreateOrUpdate')!;
    const body = JSON.parse(put.body) as { properties: { template: { parameters: Record<string, { type: string }>; resources: { name: string; properties: Record<string, unknown> }[] }; parameters: Record<string, unknown> } };
    expect(body.properties.template.parameters.HubToBranchRrasSharedKey!.type).toBe('securestring');
    expect(body.properties.parameters.HubToBranchRrasSharedKey).toEqual({ value: PSK });
    expect(body.properties.template.resources.find((r) => r.name === 'hub-to-branch-rras')!.properties.sharedKey).toBe("[parameters('HubToBranchRrasSharedKey')]");
    expect(put.body.split(PSK)).toHaveLength(2); // exactly once
    expect(body.properties.parameters.HubToBranchErAuthorizationKey).toEqual({ reference: { keyVault: { id: `${sub}/resourceGroups/rg-b2b-network/providers/Microsoft.KeyVault/vaults/kv-b2b-hub` }, secretName: 'er-authorization-key' } });
    for (const r of arm!.requests.filter((x) => x !== put)) expect(r.body).not.toContain(PSK);
  });

  it("prints Azure's error for the failing resource and exits 1", async () => {
    await start({ failures: { Deployments_CreateOrUpdate: { code: 'DeploymentFailed', message: 'At least one resource deployment operation failed.', resource: { name: 'vgw-hub', code: 'GatewaySubnetTooSmall', message: 'GatewaySubnet must be /27 or larger when gateways co-exist.' } } } });
    const result = await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('] failed: ');
    expect(result.stdout).toContain('Microsoft.Network/virtualNetworkGateways vgw-hub: GatewaySubnetTooSmall: GatewaySubnet must be /27 or larger when gateways co-exist.');
    expect(result.stdout + result.stderr).not.toContain(PSK);
    expect(result.stdout + result.stderr).not.toContain(VM_PASSWORD);
  });

  it('--what-if lists the changes Azure reports and changes nothing', async () => {
    const existing = Object.fromEntries(['rg-b2b-network', 'rg-b2b-test'].map((g) => [`${sub}/resourcegroups/${g}`, { name: g }]));
    await start({ existing });
    const result = await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION, '--what-if']);
    expect(result.code).toBe(0);
    // PostDeploymentWhatIfOnResourceGroup.json, as Azure's own what-if lays it out.
    expect(result.stdout).toContain('Scope: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/my-resource-group');
    expect(result.stdout).toContain('  ~ Microsoft.ManagedIdentity/userAssignedIdentities/myExistingIdentity [2018-11-30]');
    expect(result.stdout).toContain('  Keep     resource group rg-b2b-network (exists: left as it is, its tags kept)');
    expect(result.stdout).not.toContain('\u001b');
    // Polled on Azure-AsyncOperation, the result read from Location (final-state-via location).
    expect(arm!.requests.map((r) => r.operationId)).toEqual(['Metadata_Endpoints', 'ResourceGroups_CheckExistence', 'ResourceGroups_CheckExistence', 'Deployments_WhatIf', 'poll:status', 'poll:status', 'poll:result']);
  });

  it('--what-if reports missing resource groups as changes and creates none', async () => {
    await start({ existing: { [`${sub}/resourcegroups/rg-b2b-test`]: { name: 'rg-b2b-test' } } });
    const result = await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION, '--what-if']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  Create   resource group rg-b2b-network (westeurope, tag hybridnet:topology=branch-to-branch)');
    expect(result.stdout).toContain('every resource of the template would be created:');
    expect(result.stdout).toContain(`Scope: ${sub}/resourceGroups/rg-b2b-network\n\n  + Microsoft.Network/connections/hub-to-branch-er [`);
    expect(result.stdout).toContain('\n  + Microsoft.Network/virtualHubs/rs-hub/ipConfigurations/ipconfig1 [2025-05-01]\n\n');
    expect(result.stdout).toMatch(/Resource changes: \d+ to create\.\n$/);
    expect(arm!.requests.filter((r) => r.method !== 'HEAD' && r.method !== 'GET')).toEqual([]);
  });

  it('--resource-group puts every resource into that group, the modules and the app binding included', async () => {
    await start({ variants: { VirtualNetworkGateways_Get: trustingGateway, VirtualNetworkGateways_Generatevpnclientpackage: () => ({ body: PACKAGE }) } });
    const result = await deploy(WEBAPP, ['--subscription', TEST_SUBSCRIPTION, '--resource-group', 'rg-one', '--parameter', 'OnpremAwsPublicIp=198.51.100.20'], { HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY: PSK });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const groups = new Set(arm!.requests.filter((r) => r.path.includes('/resourcegroups/') || r.path.includes('/resourceGroups/')).map((r) => /\/resourcegroups\/([^/]+)/i.exec(r.path)![1]));
    expect([...groups]).toEqual(['rg-one']);
    const template = JSON.parse(arm!.requests.find((r) => r.operationId === 'Deployments_CreateOrUpdate')!.body).properties.template as { resources: { type: string; resourceGroup?: string }[] };
    expect(template.resources.filter((r) => r.type === 'Microsoft.Resources/deployments')).toEqual([]);
    expect(arm!.requests.at(-1)!.path).toBe(`${sub}/resourceGroups/rg-one/providers/Microsoft.Web/sites/app-webapp-hybrid/virtualNetworkConnections/vnet-webapp/gateways/primary`);
  });

  it('takes the subscription from AZURE_SUBSCRIPTION_ID, else from the Azure CLI\'s default account', async () => {
    await start();
    const other = '11111111-2222-3333-4444-555555555555';
    expect((await deploy(B2B, ['--what-if'], { ...SECRETS, AZURE_SUBSCRIPTION_ID: other })).code).toBe(0);
    expect(arm!.requests.at(1)!.path.startsWith(`/subscriptions/${other}/`)).toBe(true);
    arm!.requests.length = 0;
    expect((await deploy(B2B, ['--what-if'])).code).toBe(0);
    expect(arm!.requests.at(1)!.path.startsWith(`${sub}/`)).toBe(true);
    expect(az.calls()).toContainEqual(['account', 'show', '--output', 'json']);
  });

  it('says how to sign in when the Azure CLI is not signed in, with exit code 3 and no stack trace', async () => {
    await start();
    az = fakeAz({ signedIn: false });
    const result = await cli(['deploy', 'azure', B2B, '--subscription', TEST_SUBSCRIPTION, '--what-if'], { env: azureEnvironment(arm!, az, SECRETS) });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^hybridnet: not signed in to Azure: run `az login`/);
    expect(result.stderr).not.toContain('    at ');
  });

  it('names the missing role on 403', async () => {
    await start({ refuse: { status: 403, code: 'AuthorizationFailed', message: "The client does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read'." } });
    const result = await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION]);
    expect(result.code).toBe(3);
    // The first call is a HEAD, whose 403 has no body: the status alone says it.
    expect(result.stderr).toMatch(/^hybridnet: Azure refused the request \(403\): the signed-in identity needs Contributor/);
  });

  it('says Azure cannot be reached when nothing answers', async () => {
    await start();
    const result = await cli(['deploy', 'azure', B2B, '--subscription', TEST_SUBSCRIPTION], { env: { ...azureEnvironment(arm!, az, SECRETS), AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://127.0.0.1:9' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^hybridnet: cannot reach Azure Resource Manager \(ECONNREFUSED\)/);
  });

  it('names a missing secret without sending anything to Resource Manager', async () => {
    await start();
    const result = await deploy(B2B, ['--subscription', TEST_SUBSCRIPTION], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hybridnet: missing deployment parameters: HubToBranchRrasSharedKey (secret: set HUB_BRANCH_RRAS_PSK); VmSpokeAppAdminPassword (secret: set TEST_VM_PASSWORD)\n');
    expect(arm!.requests.filter((r) => r.operationId !== 'Metadata_Endpoints')).toEqual([]);
  });
});

describe.skipIf(skipWithoutSamples('deploy azure: the steps around the template'))('hybridnet deploy azure: the web app binds to its gateway', () => {
  let arm: ArmStandIn | undefined;
  let az: FakeAz;
  afterEach(async () => {
    await arm?.close();
    arm = undefined;
  });
  const bindingVariants = { Deployments_CreateOrUpdate: deploymentWithOutputs, VirtualNetworkGateways_Get: trustingGateway, MarketplaceAgreements_Get: termsNotYetAccepted, VirtualNetworkGateways_Generatevpnclientpackage: (() => ({ body: PACKAGE })) as Variant };
  const deployWebapp = async (options: StandInOptions, argv: string[] = []) => {
    arm = await startArmStandIn({ ...options, variants: { ...bindingVariants, ...options.variants } });
    az = fakeAz();
    return cli(['deploy', 'azure', WEBAPP, '--subscription', TEST_SUBSCRIPTION, '--parameter', 'OnpremAwsPublicIp=198.51.100.20', ...argv], { env: azureEnvironment(arm, az, { HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY: PSK }) });
  };
  const terms = `${sub}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/barracudanetworks/offers/barracuda-ng-firewall/plans/cgf-hourly/agreements/current`;
  const gateway = `${sub}/resourceGroups/rg-webapp-hybrid-network/providers/Microsoft.Network/virtualNetworkGateways/vgw-webapp`;
  const binding = `${sub}/resourceGroups/rg-webapp-hybrid-app/providers/Microsoft.Web/sites/app-webapp-hybrid/virtualNetworkConnections/vnet-webapp/gateways/primary`;

  // Azure sends both headers on the package's 202 (Azure/azure-cli#4392); the sample shows only
  // Azure-AsyncOperation, the spec declares Location: any letter case, either alone where it carries the result.
  it.each<[string, StandInOptions]>([
    ['both headers', {}],
    ['both headers in lower case (as the WebApps sample writes them)', { headerCase: 'lower' }],
    ['both headers in upper case', { headerCase: 'upper' }],
    ['Location alone (as the spec declares it)', { asyncHeaders: 'location' }],
    ['the package URL quoted once more inside the JSON string', { variants: { VirtualNetworkGateways_Generatevpnclientpackage: () => ({ body: JSON.stringify(PACKAGE) }) } }],
  ])('accepts the firewall image terms first, then binds the app to its gateway after the template: %s', async (_, options) => {
    const result = await deployWebapp(options);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const all = arm!.requests.map((r) => `${r.method} ${r.path}`);
    // Terms before the deployment, the binding after it, in this order.
    expect(all.indexOf(`PUT ${terms}`)).toBe(all.indexOf(`GET ${terms}`) + 1);
    expect(all.indexOf(`PUT ${terms}`)).toBeLessThan(all.findIndex((c) => c.startsWith('PUT') && c.includes('/deployments/hybridnet-webapp-hybrid')));
    const tail = arm!.requests.slice(arm!.requests.findIndex((r) => r.operationId === 'VirtualNetworkGateways_Get')).map((r) => r.operationId);
    const polls = options.asyncHeaders === 'location' ? ['poll:result', 'poll:result'] : ['poll:status', 'poll:status', 'poll:result'];
    expect(tail).toEqual(['VirtualNetworkGateways_Get', 'VirtualNetworkGateways_Generatevpnclientpackage', ...polls, 'WebApps_CreateOrUpdateVnetConnectionGateway']);
    expect(JSON.parse(arm!.requests.find((r) => r.method === 'PUT' && r.path === terms)!.body)).toMatchObject({ properties: { accepted: true, signature: 'ASDFSDAFWEFASDGWERLWER', plan: 'planid' } });
    expect(JSON.parse(arm!.requests.find((r) => r.operationId === 'VirtualNetworkGateways_Generatevpnclientpackage')!.body)).toEqual({ processorArchitecture: 'Amd64' });
    const bound = arm!.requests.at(-1)!;
    expect(bound.path).toBe(binding);
    expect(bound.apiVersion).toBe('2024-11-01');
    expect(JSON.parse(bound.body)).toEqual({ properties: { vnetName: 'vnet-webapp', vpnPackageUri: PACKAGE } });
    expect(result.stdout).toContain('Marketplace terms of barracudanetworks:barracuda-ng-firewall:cgf-hourly: accepted');
    expect(result.stdout).toMatch(/generating the VPN client package of vgw-webapp\n.*bound to vgw-webapp/);
    expect(arm!.unmatched).toEqual([]);
    for (const r of arm!.requests.filter((x) => x.operationId !== 'Deployments_CreateOrUpdate')) expect(r.body).not.toContain(PSK);
    expect(all).toContain(`GET ${gateway}`);
  });

  it('with only the Azure-AsyncOperation header (the sample as it is), Azure leaves the result nowhere to read: it says so, binds nothing and exits 1', async () => {
    const result = await deployWebapp({ asyncHeaders: 'azure-asyncoperation' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('gateway vgw-webapp returned no VPN client package URL');
    expect(arm!.requests.some((r) => r.path === binding)).toBe(false);
  });

  it('runs again without changing what is done: terms already accepted are left, the binding is the same', async () => {
    const result = await deployWebapp({ variants: { MarketplaceAgreements_Get: () => undefined } }); // the sample: accepted
    expect(result.code).toBe(0);
    expect(arm!.requests.filter((r) => r.path.includes('MarketplaceOrdering')).map((r) => r.method)).toEqual(['GET']);
    expect(result.stdout).toContain('already accepted');
    expect(JSON.parse(arm!.requests.at(-1)!.body)).toEqual({ properties: { vnetName: 'vnet-webapp', vpnPackageUri: PACKAGE } });
  });

  it('stops with a clear message when the gateway does not trust the app (nothing bound)', async () => {
    const result = await deployWebapp({ variants: { VirtualNetworkGateways_Get: () => undefined } }); // the sample gateway: no such certificate
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("gateway vgw-webapp does not trust the app's certificate (root certificate appservice-app-webapp-hybrid missing)");
    expect(arm!.requests.some((r) => r.path.endsWith('/gateways/primary'))).toBe(false);
  });

  it("--what-if runs without a value known only after another deployment (the AWS site's Elastic IP): Azure gets a documentation address in its place; a deployment still needs it", async () => {
    // Every group exists, so Azure's own what-if is asked.
    const existing = Object.fromEntries(['network', 'firewall', 'app', 'test'].map((role) => [`${sub}/resourcegroups/rg-webapp-hybrid-${role}`, { name: `rg-webapp-hybrid-${role}` }]));
    arm = await startArmStandIn({ existing, variants: bindingVariants });
    az = fakeAz();
    const env = azureEnvironment(arm, az, { HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY: PSK });
    const whatIf = await cli(['deploy', 'azure', WEBAPP, '--subscription', TEST_SUBSCRIPTION, '--what-if'], { env });
    expect(whatIf.stderr).toBe('');
    expect(whatIf.code).toBe(0);
    const asked = arm.requests.find((r) => r.operationId === 'Deployments_WhatIf')!;
    expect(JSON.parse(asked.body).properties.parameters.OnpremAwsPublicIp).toEqual({ value: '192.0.2.1' });
    await arm.close();
    arm = await startArmStandIn({ existing, variants: bindingVariants });
    const deploy = await cli(['deploy', 'azure', WEBAPP, '--subscription', TEST_SUBSCRIPTION], { env: azureEnvironment(arm, az, { HYBRIDNET_WEBAPP_TO_AWS_SHARED_KEY: PSK }) });
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toContain('missing deployment parameters: OnpremAwsPublicIp (--parameter OnpremAwsPublicIp=...');
  });

  it('--what-if names the terms it would accept and binds nothing', async () => {
    const result = await deployWebapp({ existing: { [`${sub}/resourcegroups/rg-webapp-hybrid-network`]: { name: 'rg-webapp-hybrid-network' } } }, ['--what-if']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would accept the Marketplace terms of barracudanetworks:barracuda-ng-firewall:cgf-hourly');
    expect(arm!.requests.some((r) => r.path.includes('MarketplaceOrdering') || r.path.includes('generatevpnclientpackage'))).toBe(false);
  });
});

describe.skipIf(skipWithoutSamples('deploy azure against a hostile or broken endpoint'))('hybridnet deploy azure against a hostile or broken endpoint', () => {
  let arm: ArmStandIn | undefined;
  let az: FakeAz;
  const servers: { close(): void }[] = [];
  afterEach(async () => {
    await arm?.close();
    for (const s of servers.splice(0)) s.close();
  });
  const deployB2b = (argv: string[] = []) => cli(['deploy', 'azure', B2B, '--subscription', TEST_SUBSCRIPTION, ...argv], { env: azureEnvironment(arm!, az, SECRETS) });

  it('never sends the token to another host: a Location elsewhere stops the deploy (exit 3) before anything is sent there', async () => {
    const elsewhere: string[] = [];
    arm = await startArmStandIn({ asyncHeaders: 'location', variants: { Deployments_CreateOrUpdate: deploymentWithOutputs } });
    const other = createServer({ key: arm.key, cert: arm.ca }, (req, res) => {
      elsewhere.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    servers.push(other);
    await arm.close();
    // The same Resource Manager, now sending the client to another host (another port) for the result.
    arm = await startArmStandIn({ asyncHeaders: 'location', asyncOrigin: `https://127.0.0.1:${(other.address() as AddressInfo).port}`, variants: { Deployments_CreateOrUpdate: deploymentWithOutputs } });
    az = fakeAz();
    const result = await deployB2b();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^hybridnet: Azure Resource Manager sent hybridnet to 127\.0\.0\.1:\d+ .*it sends its sign-in token only to 127\.0\.0\.1:\d+, so it stopped\n$/);
    expect(elsewhere).toEqual([]);
  });

  it('gives up after --timeout when Azure never finishes, and says the deployment goes on in Azure', async () => {
    arm = await startArmStandIn({ polls: 1_000_000 });
    az = fakeAz();
    const result = await deployB2b(['--timeout', '2s']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^hybridnet: Azure was still working after .*hybridnet stopped waiting\. The deployment hybridnet-branch-to-branch goes on in Azure/);
  });

  it('an answer that is not JSON is exit 3 with its text spelled out, never a stack trace', async () => {
    arm = await startArmStandIn({ variants: { ResourceGroups_CheckExistence: () => ({ error: { status: 500, code: 'InternalServerError', message: 'boom\u001b[2J\nAzure matches the prediction' } }) } });
    az = fakeAz();
    const result = await deployB2b();
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).not.toContain('    at ');
  });

  it('newlines and control characters from Azure are spelled out in the progress lines', async () => {
    arm = await startArmStandIn({ failures: { Deployments_CreateOrUpdate: { code: 'DeploymentFailed', message: 'failed', resource: { name: 'vgw-hub', code: 'Bad\nCode', message: 'line one\n[00:01] succeeded\u001b]0;title\u0007' } } } });
    az = fakeAz();
    const result = await deployB2b();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Bad\\u000aCode: line one\\u000a[00:01] succeeded\\u001b]0;title\\u0007');
    expect(result.stdout).not.toMatch(/^\[00:01\] succeeded$/m);
  });
});

/** The named clouds: the same command line, in Azure Government, reaches Government's Resource Manager with Government's token. */
describe.skipIf(skipWithoutSamples('deploy azure in other clouds'))('hybridnet deploy azure in Azure Government and Azure operated by 21Vianet', () => {
  let arm: ArmStandIn | undefined;
  let proxy: CloudProxy | undefined;
  afterEach(async () => {
    await arm?.close();
    await proxy?.close();
  });

  it.each([
    ['AzureUSGovernment', 'management.usgovcloudapi.net'],
    ['AzureChinaCloud', 'management.chinacloudapi.cn'],
  ])('--cloud %s talks to %s, with a token for it', async (cloud, host) => {
    arm = await startArmStandIn({ variants: { Deployments_CreateOrUpdate: deploymentWithOutputs } });
    proxy = await cloudProxy(arm);
    const az = fakeAz();
    const topology = join(mkdtempSync(join(tmpdir(), 'hybridnet-cloud-')), 'topology.yaml');
    writeFileSync(topology, readFileSync(B2B, 'utf8').replace('azure:\n', `azure:\n  cloud: ${cloud}\n`));
    const env = { ...azureEnvironment(arm, az, SECRETS), AZURE_RESOURCE_MANAGER_ENDPOINT: undefined, HTTPS_PROXY: proxy.url };
    const result = await cli(['deploy', 'azure', topology, '--subscription', TEST_SUBSCRIPTION, '--cloud', cloud, '--what-if'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(new Set(proxy.hosts)).toEqual(new Set([`${host}:443`]));
    expect(az.calls().filter((c) => c[1] === 'get-access-token').map((c) => c.at(-1))).toEqual([`https://${host}`]);
    const wrong = await cli(['deploy', 'azure', B2B, '--subscription', TEST_SUBSCRIPTION, '--cloud', cloud, '--what-if'], { env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`hybridnet: the topology is for AzureCloud (azure.cloud), not ${cloud}: change one of them\n`);
  });
});

