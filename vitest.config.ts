import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration tests share one Redis and one Kafka broker on a 2-core machine: keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
