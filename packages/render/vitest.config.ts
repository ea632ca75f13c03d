import { defineProject } from 'vitest/config';

export default defineProject({ resolve: { tsconfigPaths: true }, test: { name: 'render', include: ['test/**/*.test.ts'] } });
