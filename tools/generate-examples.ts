/**
 * The CI artefact build for one target: generates it for every bundled example into
 * `dist/<example>/<target>/`, through the same code path as `hybridnet generate`.
 *
 *   node --import tsx tools/generate-examples.ts bicep
 */
import { readdir } from 'node:fs/promises';
import { run } from '@hybridnet/cli';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: generate-examples.ts <target>\n');
  process.exit(2);
}
const examples = (await readdir('examples', { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
let exitCode = 0;
for (const example of examples) {
  const code = await run(['generate', `examples/${example}/topology.yaml`, '--out', `dist/${example}`, '--target', target]);
  exitCode = Math.max(exitCode, code);
}
process.exitCode = exitCode;
