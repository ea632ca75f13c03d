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
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { DeploymentsClient, type Deployment, type DeploymentOperation } from '@azure/arm-resourcesdeployments';
import type { TokenCredential } from '@azure/identity';
import { toArmTemplate, printArm, type ArmParameter } from '@hybridnet/gen-bicep';
import { resourceGroup as resourceGroupFor, type Topology, type TopologyIndex } from '@hybridnet/model';
import { InputError } from './pipeline.ts';

export interface DeployOptions {
  readonly subscription: string;
  readonly resourceGroup?: string;
  readonly whatIf: boolean;
  readonly parameters: Readonly<Record<string, string>>;
  readonly credential: TokenCredential;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
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
  for (const g of [...new Set([group, ...template.modules.map((m) => m.resourceGroup)])]) {
    say(`resource group ${g} (${topology.azure.location})`);
    await resources.resourceGroups.createOrUpdate(g, { location: topology.azure.location, tags: { 'hybridnet:topology': topology.name } });
  }

  if (options.whatIf) {
    const result = await deployments.deployments.beginWhatIfAndWait(group, name, { properties: { mode: 'Incremental', template: deployment.properties.template, parameters } }, poll);
    const changes = result.changes ?? [];
    say(`what-if: ${changes.length} change${changes.length === 1 ? '' : 's'}`);
    for (const c of changes) say(`  ${c.changeType.padEnd(8)} ${c.resourceId}`);
    return 0;
  }

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
    return 0;
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

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
