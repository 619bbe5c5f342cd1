import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/**
 * Node projects share one process per worker across their files (isolate: false): each
 * file's own process cost about 4 s of imports and start-up, most of the PGlite project's
 * time. Each file still starts its own app, database and servers, and closes them.
 */

const nodeProject = (name: string, db: string, include: string[], exclude: string[] = []) => ({
  extends: true as const,
  test: { name, include, exclude: ['test/workerd/**', ...exclude], env: { FP_TEST_DB: db }, isolate: false },
});

/**
 * A project whose files mostly wait (on workerd and Postgres): several at once,
 * after the other projects, whose latency assertions want the machine to themselves.
 */
const withWorkers = <P extends ReturnType<typeof nodeProject>>(p: P, maxWorkers: number, groupOrder = 1) =>
  ({ ...p, test: { ...p.test, maxWorkers, sequence: { groupOrder } } });

// The tenant-API suite (test/api) runs on every driver; apps, fleet, the
// connector end to end and the scheduled work also on the real Postgres; the rest on PGlite only.
// `workerd` runs worker/index.ts inside workerd against the real Postgres
// (Neon driver over the pipe started by test/support/workerd-setup.ts);
// `devworker` runs the suites over HTTP against `npm run dev:worker`.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts', 'test/support/workerd-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      nodeProject('pglite', 'pglite', ['test/**/*.test.ts'], ['test/dev-worker/**', 'test/browser/**']),
      // beside devworker (one pool of 3 for both), after the PGlite project's latency assertions: its files assert no timings
      withWorkers(nodeProject('postgres', 'pg', [
        'test/api/**/*.test.ts', 'test/fleet/**/*.test.ts', 'test/apps/**/*.test.ts',
        // the connector end to end against a control plane on the real Postgres
        'test/connector/e2e.test.ts', 'test/connector/join.test.ts',
        'test/limits/desired-size.test.ts', 'test/limits/input-limits.test.ts', 'test/model/**/*.test.ts', 'test/fuzz/**/*.test.ts',
        // the scheduled run's lock, which only a real Postgres contends for
        'test/scheduled/**/*.test.ts',
        // webhook deliveries: the outbox claimed across replicas, restarts on the same database
        'test/webhooks/**/*.test.ts',
        // the console's live feed between replicas
        'test/console/live-replicas.test.ts',
        // the cluster gateway forwarded between replicas
        'test/gateway/replicas.test.ts',
      ]), 3),
      nodeProject('neon', 'neon', ['test/api/**/*.test.ts']),
      // the API, fleet and apps suites again, and the CLI's end to end, against `npm run dev:worker` (workerd,
      // Neon driver, real Postgres); Node's own push path and the SQL-only phase counts stay in-process, and the
      // CLI's other suites test the client, which the API suites already cover from the server's side
      withWorkers(nodeProject('devworker', 'devworker', [
        'test/api/**/*.test.ts', 'test/fleet/**/*.test.ts', 'test/apps/**/*.test.ts', 'test/cli/commands.test.ts',
        // the command itself, the connector through it, the database lost mid-request
        'test/dev-worker/**/*.test.ts',
      ], ['test/fleet/node-push.test.ts', 'test/apps/phase-counts.test.ts']), 3),
      // the console in Debian's Chromium against the real Node server, last: Chromium wants the machine's cores
      withWorkers(nodeProject('browser', 'pglite', ['test/browser/**/*.test.ts']), 2, 2),
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { ...inject('workerdEnv') } },
          })),
        ],
        test: { name: 'workerd', include: ['test/workerd/**/*.test.ts'] },
      },
    ],
  },
});
