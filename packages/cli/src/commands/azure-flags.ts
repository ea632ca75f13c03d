/** What `deploy azure` and `verify azure` share: the flags that say where and as whom they work, and the session they make (../azure.ts). */
import { Option, type Command } from 'commander';
import type { Checked } from '../pipeline.ts';
import type { CommandContext } from './context.ts';

export interface AzureFlags {
  readonly subscription?: string;
  readonly cloud?: string;
  readonly armEndpoint?: string;
}

export const withAzureFlags = (command: Command, cloudDefault = 'the topology\'s azure.cloud') =>
  command
    .option('--subscription <id>', 'Azure subscription id (default: AZURE_SUBSCRIPTION_ID, else the Azure CLI\'s default account)')
    .addOption(new Option('--cloud <name>', `the Azure cloud (default: ${cloudDefault})`).choices(['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']))
    .option('--arm-endpoint <url>', 'a custom Azure Resource Manager endpoint, such as Azure Stack Hub\'s (default: AZURE_RESOURCE_MANAGER_ENDPOINT, else the cloud\'s)');

/** The cloud, the subscription and the credential; the Azure SDK loads only here. */
export async function azureSession(ctx: CommandContext, topology: NonNullable<Checked['topology']>, options: AzureFlags) {
  const { azureCredential, resolveAzureTarget, resolveSubscription } = await import('../azure.ts');
  const environment = ctx.deployment.environment;
  const target = await resolveAzureTarget(options, topology.azure.cloud, environment);
  const subscription = await resolveSubscription(options.subscription, environment);
  return { target, subscription, credential: await azureCredential(target) };
}
