/** `hybridnet lab up|test|down <topology>` and `hybridnet lab fail|heal <topology> <element>` (../lab.ts) */
import { duration, EXIT, formatOption, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

const ACTIONS: readonly [action: 'up' | 'test' | 'down' | 'fail' | 'heal', description: string, element: boolean][] = [
  ['up', 'Build the lab (idempotent); waits for tunnels and BGP sessions and says each one\'s state.', false],
  ['test', 'Run each intent as TCP connections; print the lab\'s verdict beside the simulation\'s, with tunnels and BGP sessions.', false],
  ['down', 'End every process the lab started and remove its namespaces and files.', false],
  ['fail', 'Take an element down: tunnel:<connection>/<n>, instance:<gateway>/<n>, connection:<name> or circuit:<connection>.', true],
  ['heal', 'Bring an element taken down by lab fail back up.', true],
];

export const registerLab: Register = (ctx) => {
  const { io } = ctx;
  const lab = ctx.program.command('lab').description('Bring the topology up on this machine with real strongSwan, FRR and nftables in network namespaces, and run its intents as packets (Linux, root or CAP_NET_ADMIN).');
  for (const [action, description, element] of ACTIONS) {
    const sub = lab.command(action).description(description).argument(...TOPOLOGY_ARGUMENT);
    if (element) sub.argument('<element>', 'what to take down or bring back');
    if (action === 'test') sub.addOption(formatOption());
    if (action === 'up') sub.option('--timeout <duration>', 'how long to wait for tunnels and BGP sessions', '60s');
    sub.action(async (file: string, ...rest: unknown[]) => {
      const opts = (element ? rest[1] : rest[0]) as { format?: 'text' | 'json'; timeout?: string };
      // The lab builds the topology as written: validation's findings (a failing intent, say) are what it shows in packets.
      const checked = await ctx.check(file);
      const { topology, index } = checked.loaded;
      if (!topology || !index) {
        ctx.printDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error'), 'text', file);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      const errors = checked.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors > 0 && action === 'up') io.err(`note: validate reports ${errors} error${errors > 1 ? 's' : ''} (hybridnet validate ${file}); the lab builds the topology as written\n`);
      const { runLab } = await import('../lab.ts');
      ctx.exitCode = await runLab(action, topology, index, { format: opts.format ?? 'text', file, ...(element ? { element: rest[0] as string } : {}), timeoutMs: duration(opts.timeout ?? '60s', '--timeout'), environment: ctx.deployment.environment, out: io.out, err: io.err });
    });
  }
};
