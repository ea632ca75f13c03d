import { defineProject } from 'vitest/config';

export default defineProject({ resolve: { tsconfigPaths: true }, test: { name: 'validate', include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
