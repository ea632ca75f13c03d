/** The whole suite (`npm test`): each package's own vitest project plus the workspace rules in tools/. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    projects: ['packages/*/vitest.config.ts', 'tools/vitest.config.ts'],
  },
});
