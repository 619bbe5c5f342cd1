import { defineConfig } from 'vitest/config';

const nodeProject = (name: string, db: string, include: string[]) => ({
  extends: true as const,
  test: { name, include, env: { FP_TEST_DB: db } },
});

// The tenant-API suite (test/api) runs on every driver; the rest on PGlite only.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      nodeProject('pglite', 'pglite', ['test/**/*.test.ts']),
      nodeProject('postgres', 'pg', ['test/api/**/*.test.ts']),
      nodeProject('neon', 'neon', ['test/api/**/*.test.ts']),
    ],
  },
});
