/**
 * Bundles the command line into packages/cli/dist/ (ESM, one entry, lazily loaded chunks for the
 * generators, the diagram layout and the Azure SDK), so `hybridnet` starts without compiling
 * TypeScript. Runs on `npm ci`/`npm install` (the root `prepare` script); bin/hybridnet.js falls
 * back to the sources while the bundle is missing or older than them.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseTopology } from '@hybridnet/model';
import { topologyGraph } from '../packages/gen-docs/src/graph.ts';
import { engineCodeCache } from '../packages/gen-docs/src/svg.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the bundle into `out` (tests build into a temporary folder). */
export async function buildCli(out = join(root, 'packages/cli/dist')): Promise<string> {
  rmSync(out, { recursive: true, force: true });

  await build({
    entryPoints: [join(root, 'packages/cli/src/bin.ts')],
    outdir: out,
    entryNames: 'hybridnet',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __hybridnetRequire } from 'node:module'; const require = __hybridnetRequire(import.meta.url);" },
  });

  // Generators read their Handlebars templates next to their module (new URL('./templates/…')):
  // in the bundle that is packages/cli/dist/chunks/templates/.
  const templates = join(out, 'chunks/templates');
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const from = join(root, 'packages', pkg, 'src/templates');
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) {
      if (existsSync(join(templates, name))) throw new Error(`template ${name} exists in two generators; the bundle keeps one templates folder`);
      cpSync(join(from, name), join(templates, name));
    }
  }
  // The diagram's layout engine runs in a thread of its own from this file (packages/gen-docs/src/svg.ts).
  cpSync(createRequire(import.meta.url).resolve('elkjs/lib/elk-worker.min.js'), join(out, 'chunks/elk-worker.min.cjs'));
  // With V8's code cache of that engine, warmed on the examples' diagrams, the thread starts from compiled code.
  const diagrams = readdirSync(join(root, 'examples')).map((name) => {
    const file = join(root, 'examples', name, 'topology.yaml');
    const { topology, index } = parseTopology(readFileSync(file, 'utf8'), file);
    if (!topology || !index) throw new Error(`${file} does not load`);
    return topologyGraph(topology, index);
  });
  writeFileSync(join(out, 'chunks/elk-worker.cache'), await engineCodeCache(diagrams));
  // `init --template` starts from an example: an installed command line has no workspace around it.
  for (const name of readdirSync(join(root, 'examples'))) cpSync(join(root, 'examples', name, 'topology.yaml'), join(out, 'examples', name, 'topology.yaml'));
  writeFileSync(join(out, 'README.md'), 'Built by tools/build-cli.ts from packages/*/src; not committed.\n');
  return join(out, 'hybridnet.mjs');
}

/** The newest modification time under packages/*\/src (the rule bin/hybridnet.js applies). */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    if (statSync(src, { throwIfNoEntry: false })?.isDirectory()) walk(src);
  }
  return newest;
}

const BUNDLE = join(root, 'packages/cli/dist/hybridnet.mjs');
export const bundleIsFresh = (): boolean => (statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= newestSource();

/**
 * Rebuilds packages/cli/dist when a source is newer than it, one builder at a time across
 * processes: the tests' setup and `npm pack` (prepack) use it, so a pack during a test run never
 * pulls the bundle from under a running command line.
 */
export async function ensureBundle(): Promise<void> {
  if (bundleIsFresh()) return;
  const lock = join(root, 'packages/cli/.bundle-lock');
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 60_000) rmSync(lock, { recursive: true, force: true }); // a builder that died
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (!bundleIsFresh()) await buildCli();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await (process.argv.includes('--if-stale') ? ensureBundle() : buildCli());
