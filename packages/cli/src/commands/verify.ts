/** `hybridnet verify azure <topology> [--subscription <id>] [--format text|json]` */
import { azureSession, withAzureFlags, type AzureFlags } from './azure-flags.ts';
import { EXIT, formatOption, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

export const registerVerify: Register = (ctx) => {
  withAzureFlags(
    ctx.program
      .command('verify')
      .description('Check a deployment against the prediction.')
      .command('azure')
      .description('Read what Azure has (gateways\' learned routes, BGP sessions, connections, test VMs\' effective routes, Network Watcher\'s next hops on the intents\' paths) and compare it with what the simulation and the intents predict. Read-only.')
      .argument(...TOPOLOGY_ARGUMENT),
  )
    .addOption(formatOption())
    .action(async (file: string, options: AzureFlags & { format: 'text' | 'json' }) => {
      const checked = await ctx.check(file);
      ctx.printDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error'), 'text', file);
      if (!checked.topology || !checked.loaded.index) {
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      const session = await azureSession(ctx, checked.topology, options);
      const { verifyAzure, verifyTable } = await import('../verify-azure.ts');
      const findings = await verifyAzure(checked.topology, checked.loaded.index, { ...session, environment: ctx.deployment.environment });
      const differs = findings.filter((f) => !f.ok);
      ctx.io.out(options.format === 'json' ? `${JSON.stringify({ file: checked.loaded.file, subscription: session.subscription, matches: differs.length === 0, findings }, null, 2)}\n` : verifyTable(findings));
      ctx.exitCode = differs.length === 0 ? EXIT.ok : differs.every((f) => f.seen.startsWith('Azure answered')) ? EXIT.azure : EXIT.diagnostics;
    });
};
