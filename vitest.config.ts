/** The whole suite (`npm test`): each package's own vitest project plus the workspace rules in tools/. */
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // At least two files at once: the lab's tests mostly wait on daemons and packets, and on a
    // two-core machine (vitest's default is one worker fewer than the cores) they would run alone.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: ['packages/*/vitest.config.ts', 'tools/vitest.config.ts'],
  },
});
