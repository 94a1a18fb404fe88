import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 90_000,
    pool: 'forks',
    maxWorkers: 1,
    passWithNoTests: true,
  },
});
