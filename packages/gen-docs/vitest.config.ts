import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'gen-docs', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
