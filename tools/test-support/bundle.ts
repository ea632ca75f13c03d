/**
 * The command line users run: packages/cli/bin/hybridnet.js, which starts the esbuild bundle in
 * packages/cli/dist while it is newer than every source. Command-line tests run it as a process
 * (a bundling defect, such as a dependency whose export esbuild wraps differently, shows only
 * there); `ensureBundle` rebuilds the bundle first when a source is newer, so the binary under
 * test is the bundle, never the sources' fallback.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(root, 'packages/cli/bin/hybridnet.js');

export { bundleIsFresh, ensureBundle } from '../build-cli.ts';
