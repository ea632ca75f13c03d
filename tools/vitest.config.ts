/** The workspace-wide tests: layout rules, the bad-input corpus, whole-pipeline properties, the vendors' tools, the READMEs. */
import { defineProject } from 'vitest/config';

export default defineProject({ resolve: { tsconfigPaths: true }, test: { name: 'tools', include: ['test/**/*.test.ts'], globalSetup: ['test-support/vendor-tools.setup.ts', 'test-support/bundle.setup.ts'], testTimeout: 60_000 } });
