/**
 * The CI artefact build of one target for one bundled example (or every example): generates it
 * into `dist/<example>/<target>/`, through the same code path as `hybridnet generate`. Each
 * example is an Nx project with a `generate-<target>` task per target, so editing one example
 * regenerates only that example; `nx run gen-bicep:generate` runs `generate-bicep` of every example.
 *
 *   node --import tsx tools/generate-examples.ts bicep [webapp-hybrid]
 */
import { readdir } from 'node:fs/promises';
import { run } from '@hybridnet/cli';

const [target, only] = process.argv.slice(2);
if (!target) {
  process.stderr.write('usage: generate-examples.ts <target> [example]\n');
  process.exit(2);
}
const examples = only ? [only] : (await readdir('examples', { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
let exitCode = 0;
for (const example of examples) {
  const code = await run(['generate', `examples/${example}/topology.yaml`, '--out', `dist/${example}`, '--target', target]);
  exitCode = Math.max(exitCode, code);
}
process.exitCode = exitCode;
