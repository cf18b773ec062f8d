import { defineConfig } from 'vitest/config';

// TEMPORARY (scan work): the same tests without the services global setup. Delete before finishing.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, maxWorkers: 2, minWorkers: 1 },
});
