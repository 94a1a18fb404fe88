import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['protocol/**/*.test.ts', 'server/**/*.test.ts', 'host-agent/**/*.test.ts', 'cli/**/*.test.ts', 'client/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'client/dist/**', 'test/faults/**'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
