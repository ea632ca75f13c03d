/** `hybridnet deploy azure <topology> [--subscription <id>] [--resource-group <rg>] [--what-if] [--parameter name=value]` */
import { InputError } from '../pipeline.ts';
import { azureSession, withAzureFlags, type AzureFlags } from './azure-flags.ts';
import { duration, EXIT, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

export const registerDeploy: Register = (ctx) => {
  const { io } = ctx;
  withAzureFlags(
    ctx.program
      .command('deploy')
      .description('Deploy one side of the topology.')
      .command('azure')
      .description('Deploy the Azure network (the generated ARM template) with the Azure SDK, showing each resource as Azure works; --what-if shows the changes without making them.')
      .argument(...TOPOLOGY_ARGUMENT),
  )
    .option('--resource-group <name>', 'deploy everything into this one resource group (default: the topology\'s resource groups)')
    .option('--what-if', 'show what would change, change nothing', false)
    .option('--timeout <duration>', 'how long to wait for Azure before giving up, such as 90m or 2h', '3h')
    .option('--parameter <name=value>', 'a non-secret template parameter (repeatable); secrets come from their environment variables or Key Vault', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (file: string, options: AzureFlags & { resourceGroup?: string; whatIf: boolean; parameter: string[]; timeout: string }) => {
      const checked = await ctx.check(file);
      ctx.printDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error'), 'text', file);
      if (!checked.topology || !checked.loaded.index) {
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      const parameters: Record<string, string> = {};
      for (const pair of options.parameter) {
        const at = pair.indexOf('=');
        if (at < 1) throw new InputError(`--parameter takes name=value, not "${pair}"`);
        parameters[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const timeoutMs = duration(options.timeout, '--timeout');
      const session = await azureSession(ctx, checked.topology, options);
      const { deployAzure } = await import('../deploy.ts');
      ctx.exitCode = await deployAzure(checked.topology, checked.loaded.index, { ...session, ...(options.resourceGroup ? { resourceGroup: options.resourceGroup } : {}), whatIf: options.whatIf, parameters, timeoutMs, environment: ctx.deployment.environment, out: io.out, ...(ctx.colors().out ? { styledOut: ctx.rawIo.out } : {}) });
    });
};
