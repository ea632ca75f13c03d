/** `hybridnet import azure --subscription <id> [--resource-group <rg>...] [--out topology.yaml]` */
import { Name } from '@hybridnet/model';
import { InputError } from '../pipeline.ts';
import { writeFileAtomic } from '../writer.ts';
import { withAzureFlags, type AzureFlags } from './azure-flags.ts';
import { EXIT, type Register } from './context.ts';

export const registerImport: Register = (ctx) => {
  withAzureFlags(
    ctx.program
      .command('import')
      .description('Read an existing network into a topology.')
      .command('azure')
      .description('Read an Azure estate (VNets, subnets, peerings, route tables, security groups, VPN and ExpressRoute gateways, local network gateways, connections, Route Servers, App Service integration, NAT gateways, appliances) into a commented topology, each element with its Azure resource id, and list what it read but could not represent. Read-only: GET requests only.'),
    'AzureCloud; the topology is written for it',
  )
    .option('--resource-group <name...>', 'read only these resource groups (default: every group of the subscription)')
    .option('--name <name>', 'the topology\'s name (default: the resource group\'s, or imported-<subscription>)')
    .option('--out <file>', 'write the topology to this file (default: standard output)')
    .action(async (options: AzureFlags & { resourceGroup?: string[]; name?: string; out?: string }) => {
      if (options.out === '') throw new InputError('--out needs a file name');
      if (options.name !== undefined && !Name.safeParse(options.name).success) throw new InputError(`--name takes a topology name (letters, digits, "-", "_", "."), not "${options.name}"`);
      const { azureCredential, resolveAzureTarget, resolveSubscription } = await import('../azure.ts');
      const environment = ctx.deployment.environment;
      const cloud = (options.cloud ?? 'AzureCloud') as 'AzureCloud';
      const target = await resolveAzureTarget(options, cloud, environment);
      const subscription = await resolveSubscription(options.subscription, environment);
      const { importAzure } = await import('../import/index.ts');
      const result = await importAzure({ subscription, target, credential: await azureCredential(target), environment, groups: options.resourceGroup, name: options.name, cloud, progress: (text) => ctx.io.err(`${text}\n`) });
      for (const r of result.refused) ctx.io.err(`hybridnet: ${r.scope} not read: ${r.message}\n`);
      if (result.nothingRead) {
        ctx.io.err('hybridnet: nothing could be read; no topology written\n');
        ctx.exitCode = EXIT.azure;
        return;
      }
      if (options.out === undefined) ctx.io.out(result.text);
      else {
        await writeFileAtomic(options.out, result.text).catch((error: Error) => {
          throw new InputError(`cannot write ${options.out}: ${error.message}`);
        });
      }
      ctx.io.err(`imported ${result.counts}${result.unrepresented > 0 ? `; ${result.unrepresented} read but not represented (listed at the end)` : ''}${options.out !== undefined ? `; wrote ${options.out}` : ''}\n`);
      if (result.rangesToFill.length > 0) ctx.io.err(`Azure does not hold the ranges of ${result.rangesToFill.join(', ')} (learned over BGP at run time): replace the router address that stands in for them (marked in the file)\n`);
      // The file is written either way (the user fixes it in place); it should load as it is.
      if (result.loadErrors.length > 0) {
        ctx.io.err(`hybridnet: the imported topology does not load as it is:\n${result.loadErrors.slice(0, 20).map((e) => `  ${e}\n`).join('')}`);
        ctx.exitCode = EXIT.diagnostics;
      }
    });
};
