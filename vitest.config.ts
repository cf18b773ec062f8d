import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql-js for everything: vite would pick its ESM build for our code while Node loads the CJS build
    // for Pothos and yoga, and graphql-js refuses types and errors from "another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
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
