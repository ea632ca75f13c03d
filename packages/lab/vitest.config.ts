import { defineProject } from 'vitest/config';

export default defineProject({ resolve: { tsconfigPaths: true }, test: { name: 'lab', include: ['test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 } });
