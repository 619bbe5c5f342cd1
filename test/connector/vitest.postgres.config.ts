import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The connector's tests with the control plane on the machine's Postgres, until
 * they join the `postgres` project of vitest.config.ts:
 *   npx vitest run --config test/connector/vitest.postgres.config.ts
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/connector/**/*.test.ts'],
    env: { FP_TEST_DB: 'pg' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
