import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/delta/**/*.test.ts', 'test/sources/local-storage.test.ts', 'test/sources/duckdb-engine.test.ts'], testTimeout: 60_000 },
});
