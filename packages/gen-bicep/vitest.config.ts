import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'gen-bicep', include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
