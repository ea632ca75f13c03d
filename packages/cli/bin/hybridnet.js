#!/usr/bin/env node
// Starts the bundled command line (packages/cli/dist, built on `npm ci` by tools/build-cli.ts).
// Inside the workspace, while the bundle is missing or older than any source it was built from,
// runs the TypeScript sources through tsx instead, so an edit is never hidden behind a stale
// bundle. An installed package (npm install -g, npx --package) has the bundle and no sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/hybridnet.mjs', import.meta.url));
const sources = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const packages = fileURLToPath(new URL('../../', import.meta.url));

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const pkg of readdirSync(packages)) {
    try {
      walk(`${packages}${pkg}/src`);
    } catch {
      // a package without sources
    }
  }
  return newest;
}

let built = 0;
try {
  built = statSync(bundle).mtimeMs;
} catch {
  // not built
}
if (!existsSync(sources) || (built > 0 && built >= newestSource())) {
  await import(bundle);
} else {
  // The workspace's tsconfig maps @hybridnet/* to the packages' sources, wherever the user runs from.
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
  await import(sources);
}
