/** Vitest global setup: the command-line tests run the bundle, so it is rebuilt first when a source is newer. */
import { ensureBundle } from './bundle.ts';

export default async function setup(): Promise<void> {
  await ensureBundle();
}
