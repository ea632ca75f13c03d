/**
 * The command line users run: packages/cli/bin/hybridnet.js, which starts the esbuild bundle in
 * packages/cli/dist while it is newer than every source. Command-line tests run it as a process
 * (a bundling defect, such as a dependency whose export esbuild wraps differently, shows only
 * there); `ensureBundle` rebuilds the bundle first when a source is newer, so the binary under
 * test is the bundle, never the sources' fallback.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(root, 'packages/cli/bin/hybridnet.js');
const BUNDLE = join(root, 'packages/cli/dist/hybridnet.mjs');

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

export const bundleIsFresh = (): boolean => (statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= newestSource();

/** Rebuilds packages/cli/dist when a source is newer than it (one builder at a time, across test processes). */
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
    if (!bundleIsFresh()) await (await import('../build-cli.ts')).buildCli();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
