import { defineProject } from 'vitest/config';

export default defineProject({ resolve: { tsconfigPaths: true }, test: { name: 'cli', include: ['test/**/*.test.ts'], globalSetup: ['../../tools/test-support/vendor-tools.setup.ts', '../../tools/test-support/bundle.setup.ts'], setupFiles: ['test/setup.ts'], testTimeout: 60_000 } });
