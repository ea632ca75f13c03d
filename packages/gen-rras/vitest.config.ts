import { defineProject } from 'vitest/config';

export default defineProject({ resolve: { tsconfigPaths: true }, test: { name: 'gen-rras', include: ['test/**/*.test.ts'], globalSetup: ['../../tools/test-support/vendor-tools.setup.ts'], testTimeout: 60_000 } });
