/** `hybridnet routes <topology> [--format text|json] [--trace <intent>] [--fail <element>,…]` */
// Imported statically: a dynamic import of this CommonJS package yields its exports under `default` in the bundle.
import { closest } from 'fastest-levenshtein';
import { hasErrors } from '@hybridnet/model';
import { evaluateIntents, formatRoutes, simulateRoutes, topologyWithFailures } from '@hybridnet/validate';
import { failureReport, failureText, failuresNamed } from '../failures.ts';
import { InputError } from '../pipeline.ts';
import { terminalText } from '../present.ts';
import { traceJson, traceText } from '../trace.ts';
import { blockingErrors, EXIT, explainsRouting, formatOption, jsonDiagnostic, TOPOLOGY_ARGUMENT, type Register } from './context.ts';

export const registerRoutes: Register = (ctx) => {
  const { io } = ctx;
  ctx.program
    .command('routes')
    .description('Predict what each VPN gateway, ExpressRoute gateway, Route Server, site and subnet will learn (prefix, next hop, origin).')
    .argument(...TOPOLOGY_ARGUMENT)
    .addOption(formatOption())
    .option('--trace <intent>', 'print the hops of one intent\'s flows, request and reply, instead of the routes')
    .option('--fail <elements>', 'with these elements down (a connection, connection/tunnel, gateway, gateway/instance, Route Server, firewall or site; comma-separated or repeated): what each node learns differently and every intent\'s verdict; exit 1 when an intent fails', (value: string, previous: string[] = []) => [...previous, value])
    .action(async (file: string, options: { format: 'text' | 'json'; trace?: string; fail?: string[] }) => {
      const checked = await ctx.check(file);
      const { loaded } = checked;
      // Routing and intent findings are what this command explains; only earlier errors stop it.
      if (!loaded.topology || !loaded.index || blockingErrors(checked.diagnostics).length > 0) {
        ctx.printDiagnostics(checked.diagnostics, options.format, file);
        ctx.exitCode = EXIT.diagnostics;
        return;
      }
      const failed = options.fail ? failuresNamed(options.fail, loaded.topology, loaded.index) : [];
      if (failed.length > 0 && options.trace === undefined) {
        const report = failureReport(loaded.topology, loaded.index, failed);
        io.out(options.format === 'json' ? `${JSON.stringify({ file: loaded.file, ...report }, null, 2)}\n` : terminalText(failureText(report)));
        ctx.exitCode = report.holds ? EXIT.ok : EXIT.diagnostics;
        return;
      }
      if (options.trace !== undefined) {
        // With --fail, the trace walks the network with those elements down.
        const network = failed.length > 0 ? topologyWithFailures(loaded.topology, loaded.index, failed) : loaded;
        const results = evaluateIntents(network.topology!, network.index!);
        const result = results.find((r) => r.intent.name === options.trace);
        if (!result) {
          const names = results.map((r) => r.intent.name);
          throw new InputError(names.length === 0 ? `${file} declares no intents (intents: in the topology)` : `no intent is named "${options.trace}"; did you mean "${closest(options.trace, names)}"? (declared: ${names.join(', ')})`);
        }
        io.out(options.format === 'json' ? `${JSON.stringify(traceJson(result), null, 2)}\n` : terminalText(traceText(result)));
        ctx.exitCode = result.holds ? EXIT.ok : EXIT.diagnostics;
        return;
      }
      const simulation = simulateRoutes(loaded.topology, loaded.index);
      const findings = checked.diagnostics.filter(explainsRouting);
      if (options.format === 'json') {
        io.out(`${JSON.stringify({ file: loaded.file, routes: simulation.sets.map((s) => ({ kind: s.kind, name: s.name, routes: s.routes })), findings: findings.map((d) => jsonDiagnostic(d, loaded.file)) }, null, 2)}\n`);
      } else {
        io.out(formatRoutes(simulation));
        if (findings.length > 0) io.out('\n');
        ctx.printDiagnostics(findings, 'text', file);
      }
      ctx.exitCode = hasErrors(checked.diagnostics) ? EXIT.diagnostics : EXIT.ok;
    });
};
