/**
 * `hybridnet deploy azure`: deploys the generated ARM template through the Azure SDK
 * (@azure/arm-resources for the resource groups, @azure/arm-resourcesdeployments for the
 * deployment and what-if, which left @azure/arm-resources in its 7.x line).
 *
 * Parameters: secure ones come from where the topology says: a Key Vault secret is passed as a
 * Key Vault reference, resolved by Azure Resource Manager (the value never passes through here);
 * any other from its environment variable (`--parameter` does not take secrets, so they never
 * reach a command line). Plain ones from `--parameter Name=value` or their environment variable.
 * While Azure works (a VPN gateway takes 30 to 45 minutes) it prints each resource's state as it
 * changes and the elapsed time; then the outputs, or Azure's error for each failing resource.
 *
 * Resource groups: one that does not exist is created, tagged with the topology's name; one that
 * exists is left as it is (its tags are its owner's: a PUT would replace them).
 *
 * Around the template, the two steps a template cannot take, each through the SDK client of its
 * provider and that client's own long-running-operation poller (no hand-written HTTP):
 * - before it, the Marketplace terms of each firewall image plan are accepted
 *   (@azure/arm-marketplaceordering: get the agreement, create it back with accepted: true, as
 *   `az vm image terms accept` does);
 * - after it, each gateway-required App Service app is bound to its gateway: the template has
 *   made the gateway trust the app's certificate; the gateway's VPN client package is generated
 *   (@azure/arm-network, generatevpnclientpackage: a POST whose result, the package URL, is read
 *   from the Location of its first answer, final-state-via location) and given to the app as its
 *   "primary" gateway (@azure/arm-appservice, createOrUpdateVnetConnectionGateway). Both steps
 *   converge: a second run finds the terms accepted and rebinds the same package.
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { DeploymentsClient, type Deployment, type DeploymentOperation, type WhatIfChange } from '@azure/arm-resourcesdeployments';
import { NetworkManagementClient } from '@azure/arm-network';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { MarketplaceOrderingAgreements } from '@azure/arm-marketplaceordering';
import type { TokenCredential } from '@azure/identity';
import { appCertificateName, toArmTemplate, printArm, WEB_API as WEB_API_VERSION, type ArmParameter, type ArmTemplate } from '@hybridnet/gen-bicep';
import { resourceGroup as resourceGroupFor, type Topology, type TopologyIndex } from '@hybridnet/model';
import { AzureError, clientOptions, pollInterval, type AzureTarget } from './azure.ts';
import { InputError } from './pipeline.ts';
import { azureText } from './present.ts';
import { formatWhatIf } from './what-if.ts';

export interface DeployOptions {
  readonly subscription: string;
  readonly resourceGroup?: string;
  readonly whatIf: boolean;
  readonly parameters: Readonly<Record<string, string>>;
  readonly credential: TokenCredential;
  readonly target: AzureTarget;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** How long Azure may work on the deployment and the steps around it before hybridnet stops waiting. */
  readonly timeoutMs: number;
  readonly out: (text: string) => void;
  /** Where a coloured what-if goes (standard output is a terminal, colour not turned off); its text is already safe for a terminal. */
  readonly styledOut?: (text: string) => void;
}

type ParameterValue = { value: string } | { reference: { keyVault: { id: string }; secretName: string } };

/**
 * What-if stands this value in for a plain parameter known only after another deployment (a
 * site's public IP from its AWS stack), and shows it as "(known after deploy)", as `terraform
 * plan` shows "(known after apply)": an address reserved for documentation (RFC 5737), which
 * Azure accepts where an IP address goes and no topology deploys.
 */
export const KNOWN_AFTER_DEPLOY = '192.0.2.1';

/**
 * Values for every template parameter without a default, or a usage error naming what is missing.
 * For what-if, a plain one that is missing is KNOWN_AFTER_DEPLOY; a secret is still required.
 */
export function deploymentParameters(parameters: readonly ArmParameter[], options: Pick<DeployOptions, 'subscription' | 'parameters' | 'environment'>, networkGroup: string, whatIf = false): Record<string, ParameterValue> {
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
    if (value !== undefined && value !== '') values[p.name] = { value };
    else if (whatIf && !p.secure) values[p.name] = { value: KNOWN_AFTER_DEPLOY };
    else missing.push(p.secure ? `${p.name} (secret: set ${p.fromEnvironment})` : `${p.name} (--parameter ${p.name}=... or ${p.fromEnvironment})`);
  }
  if (missing.length > 0) throw new InputError(`missing deployment parameters: ${missing.join('; ')}`);
  return values;
}

/**
 * The topology as deployed into one resource group (`--resource-group`): every role's group is
 * that one, so the template has no module in another group and the app binds to the network in
 * it. Key Vault references keep the group the topology names (the vault exists before the deploy).
 */
export function intoOneGroup(topology: Topology, group: string): Topology {
  const groups = Object.fromEntries(Object.keys(topology.azure.resourceGroups).map((role) => [role, group])) as Topology['azure']['resourceGroups'];
  return { ...topology, azure: { ...topology.azure, resourceGroups: { ...groups, network: group } } };
}

export async function deployAzure(original: Topology, index: TopologyIndex, options: DeployOptions): Promise<number> {
  const topology = options.resourceGroup ? intoOneGroup(original, options.resourceGroup) : original;
  const { template } = toArmTemplate(topology, index);
  const group = resourceGroupFor(topology, 'network');
  const parameters = deploymentParameters(template.parameters, options, resourceGroupFor(original, 'network'), options.whatIf);
  const sdk = clientOptions(options.target, options.environment);
  const resources = new ResourceManagementClient(options.credential, options.subscription, sdk);
  const deployments = new DeploymentsClient(options.credential, options.subscription, sdk);
  const name = `hybridnet-${topology.name}`;
  const deployment: Deployment = { properties: { mode: 'Incremental', template: JSON.parse(printArm(template, topology.name)), parameters } };
  // Azure's own polls are bounded by the deadline; between them, its Retry-After or our interval.
  const abortSignal = AbortSignal.timeout(options.timeoutMs);
  const poll = { updateIntervalInMs: pollInterval(options.environment), abortSignal };
  const say = (line: string) => options.out(`${line}\n`);
  const timedOut = () => new AzureError(`Azure was still working after ${Math.round(options.timeoutMs / 60_000)} minutes (--timeout); hybridnet stopped waiting. The deployment ${name} goes on in Azure: see it in the portal, or run deploy again once it has finished`);

  // The deployment's own group, and those its modules (firewall, app, test) deploy into.
  const groups = [...new Set([group, ...template.modules.map((m) => m.resourceGroup)])];
  const firewallPlans = [...new Set(topology.azure.firewalls.map((fw) => fw.imageSku))];
  const exists = new Map<string, boolean>();
  for (const g of groups) exists.set(g, (await resources.resourceGroups.checkExistence(g)).body === true);

  if (options.whatIf) {
    // Read-only: nothing is created or accepted. A group that does not exist yet is a change.
    const missing = groups.filter((g) => !exists.get(g));
    for (const g of missing) say(`  Create   resource group ${g} (${topology.azure.location}, tag hybridnet:topology=${topology.name})`);
    for (const g of groups.filter((x) => exists.get(x))) say(`  Keep     resource group ${g} (exists: left as it is, its tags kept)`);
    for (const plan of firewallPlans) say(`would accept the Marketplace terms of barracudanetworks:barracuda-ng-firewall:${plan}`);
    if (missing.length > 0) {
      // Azure's what-if needs the deployment's group to exist; until it does, every resource of the
      // template is new: listed from the template itself, in the same layout.
      say(`what-if: ${missing.length} resource group${missing.length === 1 ? '' : 's'} to create; every resource of the template would be created:`);
      (options.styledOut ?? options.out)(formatWhatIf(templateCreates(template, group, options.subscription), options.styledOut !== undefined));
      return 0;
    }
    const result = await deployments.deployments.whatIf(group, name, { properties: { mode: 'Incremental', template: deployment.properties.template, parameters } }, poll).then((r) => r, (error: unknown) => {
      throw abortSignal.aborted ? timedOut() : error;
    });
    (options.styledOut ?? options.out)(formatWhatIf(result.changes ?? [], options.styledOut !== undefined, KNOWN_AFTER_DEPLOY));
    return 0;
  }

  for (const g of groups) {
    if (exists.get(g)) {
      say(`resource group ${g}: exists, left as it is`);
      continue;
    }
    say(`resource group ${g} (${topology.azure.location}): creating`);
    await resources.resourceGroups.createOrUpdate(g, { location: topology.azure.location, tags: { 'hybridnet:topology': topology.name } });
  }
  const terms = new MarketplaceOrderingAgreements(options.credential, options.subscription, sdk);
  for (const plan of firewallPlans) await acceptTerms(terms, plan, say);

  const started = Date.now();
  const seen = new Map<string, string>();
  const report = async () => {
    const operations: DeploymentOperation[] = [];
    for await (const op of deployments.deploymentOperations.list(group, name)) {
      operations.push(op);
      if (operations.length > 10_000) break; // a template has at most 800 resources
    }
    for (const op of operations) {
      const target = op.properties?.targetResource;
      const state = op.properties?.provisioningState;
      if (!target?.resourceName || !state) continue;
      const key = `${target.resourceType}/${target.resourceName}`;
      if (seen.get(key) === state) continue;
      seen.set(key, state);
      say(`[${elapsed(Date.now() - started)}] ${azureText(target.resourceType ?? '')} ${azureText(target.resourceName)}: ${azureText(state)}`);
    }
    return operations;
  };

  say(`deployment ${name} into ${group}`);
  // The SDK's poller polls (at Azure's Retry-After, or our interval); after each poll the
  // deployment's operations are read and each change of state printed, in order.
  const poller = deployments.deployments.createOrUpdate(group, name, deployment, poll);
  let reporting: Promise<unknown> = Promise.resolve();
  poller.onProgress(() => void (reporting = reporting.then(report).catch(() => {})));
  try {
    const result = await poller.pollUntilDone({ abortSignal });
    await reporting;
    await report().catch(() => {});
    say(`[${elapsed(Date.now() - started)}] succeeded`);
    const outputs = (result.properties?.outputs ?? {}) as Record<string, { value?: unknown }>;
    for (const [key, output] of Object.entries(outputs)) say(`output ${azureText(key)} = ${azureText(String(output.value))}`);
  } catch (error) {
    if (abortSignal.aborted) throw timedOut();
    // Azure ran the deployment and it ended Failed: each failing resource with Azure's error.
    if (poller.operationState?.status !== 'failed') throw error;
    await reporting;
    const operations = await report().catch(() => []);
    say(`[${elapsed(Date.now() - started)}] failed: ${azureText((error as Error).message)}`);
    for (const op of operations.filter((o) => o.properties?.provisioningState === 'Failed')) {
      const message = (op.properties?.statusMessage as { error?: { code?: string; message?: string } } | undefined)?.error;
      say(`  ${azureText(op.properties?.targetResource?.resourceType ?? '')} ${azureText(op.properties?.targetResource?.resourceName ?? '')}: ${azureText(message?.code ?? 'error')}: ${azureText(message?.message ?? 'no message')}`);
    }
    return 1;
  }
  return bindGatewayRequiredApps(topology, index, options, sdk, abortSignal, say).catch((error: unknown) => {
    throw abortSignal.aborted ? timedOut() : error;
  });
}

async function acceptTerms(client: MarketplaceOrderingAgreements, plan: string, say: (line: string) => void): Promise<void> {
  const current = await client.marketplaceAgreements.get('virtualmachine', 'barracudanetworks', 'barracuda-ng-firewall', plan);
  if (current.accepted === true) {
    say(`Marketplace terms of barracudanetworks:barracuda-ng-firewall:${plan}: already accepted`);
    return;
  }
  await client.marketplaceAgreements.create('virtualmachine', 'barracudanetworks', 'barracuda-ng-firewall', plan, { ...current, accepted: true });
  say(`Marketplace terms of barracudanetworks:barracuda-ng-firewall:${plan}: accepted`);
}

async function bindGatewayRequiredApps(topology: Topology, index: TopologyIndex, options: DeployOptions, sdk: ReturnType<typeof clientOptions>, abortSignal: AbortSignal, say: (line: string) => void): Promise<number> {
  const apps = topology.azure.appServices.filter((app) => app.integration.type === 'gateway-required');
  if (apps.length === 0) return 0;
  const network = new NetworkManagementClient(options.credential, options.subscription, sdk);
  // The template's Microsoft.Web API version: the binding is one of its resources' children.
  const web = new WebSiteManagementClient(options.credential, options.subscription, { ...sdk, apiVersion: WEB_API_VERSION });
  const networkGroup = resourceGroupFor(topology, 'network');
  for (const app of apps) {
    const vnet = app.integration.vnet;
    const gateway = index.vnets.get(vnet)?.value.vpnGateway?.name;
    if (!gateway) continue;
    const state = await network.virtualNetworkGateways.get(networkGroup, gateway, { abortSignal });
    const certificate = appCertificateName(app.name);
    if (!state.vpnClientConfiguration?.vpnClientRootCertificates?.some((c) => c.name === certificate)) {
      say(`App Service ${app.name}: gateway ${gateway} does not trust the app's certificate (root certificate ${certificate} missing); deploy the template again`);
      return 1;
    }
    say(`App Service ${app.name}: generating the VPN client package of ${gateway}`);
    const generated: { body?: unknown } | undefined = await network.virtualNetworkGateways.beginGeneratevpnclientpackageAndWait(networkGroup, gateway, { processorArchitecture: 'Amd64' }, { updateIntervalInMs: pollInterval(options.environment), abortSignal });
    // A JSON string, which some answers quote once more ("\"https://…\""): unquoted once.
    const packageUri = typeof generated?.body === 'string' && /^"[^"]*"$/.test(generated.body) ? (JSON.parse(generated.body) as string) : generated?.body;
    // The result is a JSON string (the spec's stringApplicationJson); anything else means Azure gave
    // no result where the client reads it (a 202 without Location has nothing to read at the end).
    if (typeof packageUri !== 'string' || !/^https:\/\/[^\s]+$/.test(packageUri)) {
      say(`App Service ${app.name}: gateway ${gateway} returned no VPN client package URL (Azure answered ${azureText(JSON.stringify(packageUri) ?? 'nothing')}); nothing was bound. Run deploy again, or bind it as DEPLOY.md shows`);
      return 1;
    }
    await web.webApps.createOrUpdateVnetConnectionGateway(resourceGroupFor(topology, 'app'), app.name, vnet, 'primary', { vnetName: vnet, vpnPackageUri: packageUri }, { abortSignal });
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
