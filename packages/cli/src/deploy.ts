/**
 * `hybridnet deploy azure`: deploys the generated ARM template through the Azure SDK
 * (@azure/arm-resources for the resource group, @azure/arm-resourcesdeployments for the
 * deployment and what-if, which left @azure/arm-resources in its 7.x line).
 *
 * Parameters: secure ones come from where the topology says: a Key Vault secret is passed as a
 * Key Vault reference, resolved by Azure Resource Manager (the value never passes through here);
 * any other from its environment variable (`--parameter` does not take secrets, so they never
 * reach a command line). Plain ones from `--parameter Name=value` or their environment variable.
 * While Azure works (a VPN gateway takes 30 to 45 minutes) it prints each resource's state as it
 * changes and the elapsed time; then the outputs, or Azure's error for each failing resource.
 *
 * Around the template, the two steps a template cannot take:
 * - before it, the Marketplace terms of each firewall image plan are accepted (GET the
 *   subscription's agreement, PUT it back with accepted: true, as `az vm image terms accept`
 *   does; Microsoft.MarketplaceOrdering 2021-01-01);
 * - after it, each gateway-required App Service app is bound to its gateway: the template has
 *   made the gateway trust the app's certificate; the gateway's VPN client package is generated
 *   (POST generatevpnclientpackage, a long-running operation) and given to the app as its
 *   "primary" gateway (PUT sites/virtualNetworkConnections/gateways). Both steps converge: a
 *   second run finds the terms accepted and rebinds the same package.
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { DeploymentsClient, type Deployment, type DeploymentOperation, type WhatIfChange } from '@azure/arm-resourcesdeployments';
import type { TokenCredential } from '@azure/identity';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { appCertificateName, toArmTemplate, printArm, NETWORK_API as NETWORK_API_VERSION, WEB_API as WEB_API_VERSION, type ArmParameter, type ArmTemplate } from '@hybridnet/gen-bicep';
import { resourceGroup as resourceGroupFor, type Topology, type TopologyIndex } from '@hybridnet/model';
import { InputError } from './pipeline.ts';
import { formatWhatIf } from './what-if.ts';

export interface DeployOptions {
  readonly subscription: string;
  readonly resourceGroup?: string;
  readonly whatIf: boolean;
  readonly parameters: Readonly<Record<string, string>>;
  readonly credential: TokenCredential;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  /** Where a coloured what-if goes (standard output is a terminal, colour not turned off); its text is already safe for a terminal. */
  readonly styledOut?: (text: string) => void;
  /** For tests: another Resource Manager endpoint, its CA, and a faster poll. */
  readonly endpoint?: string;
  readonly ca?: string;
  readonly pollIntervalMs?: number;
}

type ParameterValue = { value: string } | { reference: { keyVault: { id: string }; secretName: string } };

/** Values for every template parameter without a default, or a usage error naming what is missing. */
export function deploymentParameters(parameters: readonly ArmParameter[], options: Pick<DeployOptions, 'subscription' | 'parameters' | 'environment'>, networkGroup: string): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = {};
  const missing: string[] = [];
  for (const p of parameters) {
    if (p.default !== undefined) continue;
    if (p.secure && p.secret && 'keyVault' in p.secret) {
      const kv = p.secret.keyVault;
      values[p.name] = { reference: { keyVault: { id: `/subscriptions/${options.subscription}/resourceGroups/${kv.resourceGroup ?? networkGroup}/providers/Microsoft.KeyVault/vaults/${kv.vault}` }, secretName: kv.secret } };
      continue;
    }
    const given = p.secure ? undefined : options.parameters[p.name];
    const fromEnvironment = p.fromEnvironment ? options.environment[p.fromEnvironment] : undefined;
    const value = given ?? fromEnvironment;
    if (value === undefined || value === '') missing.push(p.secure ? `${p.name} (secret: set ${p.fromEnvironment})` : `${p.name} (--parameter ${p.name}=... or ${p.fromEnvironment})`);
    else values[p.name] = { value };
  }
  if (missing.length > 0) throw new InputError(`missing deployment parameters: ${missing.join('; ')}`);
  return values;
}

export async function deployAzure(topology: Topology, index: TopologyIndex, options: DeployOptions): Promise<number> {
  const { template } = toArmTemplate(topology, index);
  const group = options.resourceGroup ?? resourceGroupFor(topology, 'network');
  const parameters = deploymentParameters(template.parameters, options, group);
  const clientOptions = { ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}) };
  const resources = new ResourceManagementClient(options.credential, options.subscription, clientOptions);
  const deployments = new DeploymentsClient(options.credential, options.subscription, clientOptions);
  const name = `hybridnet-${topology.name}`;
  const deployment: Deployment = { properties: { mode: 'Incremental', template: JSON.parse(printArm(template, topology.name)), parameters } };
  const poll = { updateIntervalInMs: options.pollIntervalMs ?? 10_000 };
  const say = (line: string) => options.out(`${line}\n`);

  // The deployment's own group, and those its modules (firewall, app, test) deploy into.
  const groups = [...new Set([group, ...template.modules.map((m) => m.resourceGroup)])];
  const arm = armRequests(resources, options);
  const firewallPlans = [...new Set(topology.azure.firewalls.map((fw) => fw.imageSku))];

  if (options.whatIf) {
    // Read-only: nothing is created or accepted. A group that does not exist yet is a change.
    const missing: string[] = [];
    for (const g of groups) if (!(await resources.resourceGroups.checkExistence(g)).body) missing.push(g);
    for (const g of missing) say(`  Create   resource group ${g} (${topology.azure.location})`);
    for (const plan of firewallPlans) say(`would accept the Marketplace terms of barracudanetworks:barracuda-ng-firewall:${plan}`);
    if (missing.length > 0) {
      // Azure's what-if needs the deployment's group to exist; until it does, every resource of the
      // template is new: listed from the template itself, in the same layout.
      say(`what-if: ${missing.length} resource group${missing.length === 1 ? '' : 's'} to create; every resource of the template would be created:`);
      (options.styledOut ?? options.out)(formatWhatIf(templateCreates(template, group, options.subscription), options.styledOut !== undefined));
      return 0;
    }
    const result = await deployments.deployments.beginWhatIfAndWait(group, name, { properties: { mode: 'Incremental', template: deployment.properties.template, parameters } }, poll);
    (options.styledOut ?? options.out)(formatWhatIf(result.changes ?? [], options.styledOut !== undefined));
    return 0;
  }

  for (const g of groups) {
    say(`resource group ${g} (${topology.azure.location})`);
    await resources.resourceGroups.createOrUpdate(g, { location: topology.azure.location, tags: { 'hybridnet:topology': topology.name } });
  }
  for (const plan of firewallPlans) await acceptTerms(arm, options.subscription, plan, say);

  const started = Date.now();
  const seen = new Map<string, string>();
  const report = async () => {
    const operations: DeploymentOperation[] = [];
    for await (const op of deployments.deploymentOperations.list(group, name)) operations.push(op);
    for (const op of operations) {
      const target = op.properties?.targetResource;
      const state = op.properties?.provisioningState;
      if (!target?.resourceName || !state) continue;
      const key = `${target.resourceType}/${target.resourceName}`;
      if (seen.get(key) === state) continue;
      seen.set(key, state);
      say(`[${elapsed(Date.now() - started)}] ${target.resourceType} ${target.resourceName}: ${state}`);
    }
    return operations;
  };

  say(`deployment ${name} into ${group}`);
  const poller = await deployments.deployments.beginCreateOrUpdate(group, name, deployment, poll);
  try {
    do {
      await poller.poll();
      await report();
    } while (!poller.isDone());
    const result = await poller.pollUntilDone();
    say(`[${elapsed(Date.now() - started)}] succeeded`);
    const outputs = (result.properties?.outputs ?? {}) as Record<string, { value?: unknown }>;
    for (const [key, output] of Object.entries(outputs)) say(`output ${key} = ${String(output.value)}`);
    return await bindGatewayRequiredApps(topology, index, arm, options, say);
  } catch (error) {
    const operations = await report().catch(() => []);
    say(`[${elapsed(Date.now() - started)}] failed: ${(error as Error).message}`);
    for (const op of operations.filter((o) => o.properties?.provisioningState === 'Failed')) {
      const message = (op.properties?.statusMessage as { error?: { code?: string; message?: string } } | undefined)?.error;
      say(`  ${op.properties?.targetResource?.resourceType} ${op.properties?.targetResource?.resourceName}: ${message?.code ?? 'error'}: ${message?.message ?? 'no message'}`);
    }
    return 1;
  }
}

/** Plain requests to Resource Manager through the SDK client's own pipeline (its credential, endpoint and TLS settings). */
interface Arm {
  call(method: 'GET' | 'PUT' | 'POST', path: string, apiVersion: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

function armRequests(client: ResourceManagementClient, options: DeployOptions): Arm {
  const base = options.endpoint ?? 'https://management.azure.com';
  const send = async (method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) => {
    const response = await client.sendRequest(createPipelineRequest({ url, method, headers: createHttpHeaders({ accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }), ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
    const text = response.bodyAsText ?? '';
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.status >= 400) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      // Shaped like the SDK's RestError, so the command line explains a 403 or a 429 the same way.
      throw Object.assign(new Error(`${method} ${url.replace(base, '').split('?')[0]}: ${response.status} ${error?.code ?? ''} ${error?.message ?? ''}`.trim()), { statusCode: response.status, code: error?.code });
    }
    return { status: response.status, body: parsed, location: response.headers.get('azure-asyncoperation') ?? response.headers.get('location') };
  };
  return {
    async call(method, path, apiVersion, body) {
      const first = await send(method, `${base}${path}?api-version=${apiVersion}`, body);
      if (first.status !== 202 || !first.location) return first;
      // A long-running operation: poll where Azure says until it answers with the result.
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 10_000));
        const next = await send('GET', first.location);
        if (next.status !== 202) return next;
      }
    },
  };
}

async function acceptTerms(arm: Arm, subscription: string, plan: string, say: (line: string) => void): Promise<void> {
  const path = `/subscriptions/${subscription}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/barracudanetworks/offers/barracuda-ng-firewall/plans/${plan}/agreements/current`;
  const current = (await arm.call('GET', path, '2021-01-01')).body as { properties?: Record<string, unknown> };
  if (current.properties?.accepted === true) {
    say(`Marketplace terms of barracudanetworks:barracuda-ng-firewall:${plan}: already accepted`);
    return;
  }
  await arm.call('PUT', path, '2021-01-01', { ...current, properties: { ...current.properties, accepted: true } });
  say(`Marketplace terms of barracudanetworks:barracuda-ng-firewall:${plan}: accepted`);
}

async function bindGatewayRequiredApps(topology: Topology, index: TopologyIndex, arm: Arm, options: DeployOptions, say: (line: string) => void): Promise<number> {
  const network = `/subscriptions/${options.subscription}/resourceGroups/${resourceGroupFor(topology, 'network')}/providers/Microsoft.Network`;
  const web = `/subscriptions/${options.subscription}/resourceGroups/${resourceGroupFor(topology, 'app')}/providers/Microsoft.Web`;
  for (const app of topology.azure.appServices) {
    if (app.integration.type !== 'gateway-required') continue;
    const vnet = app.integration.vnet;
    const gateway = index.vnets.get(vnet)?.value.vpnGateway?.name;
    if (!gateway) continue;
    const gatewayPath = `${network}/virtualNetworkGateways/${gateway}`;
    const state = (await arm.call('GET', gatewayPath, NETWORK_API_VERSION)).body as { properties?: { vpnClientConfiguration?: { vpnClientRootCertificates?: { name?: string }[] } } };
    const certificate = appCertificateName(app.name);
    const trusted = state.properties?.vpnClientConfiguration?.vpnClientRootCertificates?.some((c) => c.name === certificate);
    if (!trusted) {
      say(`App Service ${app.name}: gateway ${gateway} does not trust the app's certificate (root certificate ${certificate} missing); deploy the template again`);
      return 1;
    }
    say(`App Service ${app.name}: generating the VPN client package of ${gateway}`);
    const packageUri = (await arm.call('POST', `${gatewayPath}/generatevpnclientpackage`, NETWORK_API_VERSION, { processorArchitecture: 'Amd64' })).body;
    if (typeof packageUri !== 'string' || !packageUri.startsWith('https://')) {
      say(`App Service ${app.name}: gateway ${gateway} returned no VPN client package`);
      return 1;
    }
    await arm.call('PUT', `${web}/sites/${app.name}/virtualNetworkConnections/${vnet}/gateways/primary`, WEB_API_VERSION, { properties: { vnetName: vnet, vpnPackageUri: packageUri } });
    say(`App Service ${app.name}: bound to ${gateway} (gateway-required integration with ${vnet})`);
  }
  return 0;
}

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Every resource of the template (and its modules) as a what-if creation in its resource group, for when Azure cannot be asked yet. */
function templateCreates(template: ArmTemplate, group: string, subscription: string): WhatIfChange[] {
  const changes: WhatIfChange[] = [];
  const add = (t: ArmTemplate, resourceGroup: string) => {
    const bySymbol = new Map(t.resources.map((r) => [r.symbol, r]));
    const fullName = (r: ArmTemplate['resources'][number]): string => (r.parent && bySymbol.has(r.parent) ? `${fullName(bySymbol.get(r.parent)!)}/${r.name}` : r.name);
    const typed = (r: ArmTemplate['resources'][number]): string => {
      // A child's type carries its parents' segments; its name carries theirs too: interleave them.
      const [namespace, ...types] = r.type.split('/');
      const names = fullName(r).split('/');
      return [namespace, ...types.flatMap((type, i) => [type, names[i] ?? ''])].join('/');
    };
    for (const r of t.resources) changes.push({ resourceId: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${typed(r)}`, changeType: 'Create', after: { apiVersion: r.apiVersion } });
    for (const m of t.modules) add(m.template, m.resourceGroup);
  };
  add(template, group);
  return changes;
}
