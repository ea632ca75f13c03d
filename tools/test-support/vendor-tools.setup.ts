/**
 * Vitest global setup for the suites that use the vendors' own tools: runs
 * tools/vendor-tools/install.sh once before the tests (idempotent, silent when installed), so
 * `npm test` on a machine with the .NET SDK needs no manual step.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.HYBRIDNET_QUICK === '1') return; // npm run test:quick runs without them
  const script = fileURLToPath(new URL('../vendor-tools/install.sh', import.meta.url));
  const run = spawnSync('bash', [script], { stdio: 'inherit' });
  if (run.status !== 0 && process.env.CI === 'true') throw new Error('tools/vendor-tools/install.sh failed; CI must run the vendor-tool suites');
}
