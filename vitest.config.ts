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
 * A project that runs `maxWorkers` of its files at once, in its group: groups run one after
 * another, lowest first, and the projects of one group share its workers.
 */
const withWorkers = <P extends ReturnType<typeof nodeProject>>(p: P, maxWorkers: number, groupOrder: number) =>
  ({ ...p, test: { ...p.test, maxWorkers, sequence: { groupOrder } } });

/**
 * PGlite files that assert latencies or a ratio of them (a heartbeat p95 beside hostile inputs, a
 * tenant's median under attack, the render budget's time bounds): a second file beside them
 * doubled the heartbeats' p50 and took their max from 31 to 75 ms.
 */
const timedFiles = [
  'test/limits/hostile-inputs.test.ts', 'test/limits/fairness.test.ts', 'test/limits/rate-limits.test.ts',
  'test/render/budget.test.ts', 'test/webhooks/fairness.test.ts', 'test/node/render-pool.test.ts',
];

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
      // first and alone, one file at a time: the files that time themselves against the machine
      withWorkers(nodeProject('pglite-timed', 'pglite', timedFiles), 1, 0),
      // two files at once, one per core: a PGlite file mostly computes (the database runs in its process)
      withWorkers(nodeProject('pglite', 'pglite', ['test/**/*.test.ts'], ['test/dev-worker/**', 'test/browser/**', ...timedFiles]), 2, 1),
      // beside devworker (one pool of 3 for both), after the PGlite project's latency assertions: its files assert no timings
      withWorkers(nodeProject('postgres', 'pg', [
        'test/api/**/*.test.ts', 'test/fleet/**/*.test.ts', 'test/apps/**/*.test.ts',
        // the connector end to end against a control plane on the real Postgres
        'test/connector/e2e.test.ts', 'test/connector/join.test.ts',
        'test/limits/desired-size.test.ts', 'test/limits/input-limits.test.ts', 'test/limits/query-timeout.test.ts', 'test/model/**/*.test.ts', 'test/fuzz/**/*.test.ts',
        // the scheduled run's lock, which only a real Postgres contends for
        'test/scheduled/**/*.test.ts',
        // webhook deliveries: the outbox claimed across replicas, restarts on the same database
        'test/webhooks/**/*.test.ts',
        // the console's live feed between replicas
        'test/console/live-replicas.test.ts',
        // the cluster gateway forwarded between replicas, and between processes sharing a port
        'test/gateway/replicas.test.ts', 'test/node/processes.test.ts',
      ]), 3, 2),
      withWorkers(nodeProject('neon', 'neon', ['test/api/**/*.test.ts']), 2, 1),
      // the API, fleet and apps suites again, and the CLI's end to end, against `npm run dev:worker` (workerd,
      // Neon driver, real Postgres; one per test process, see test/support/remote-harness.ts); Node's own push path and the SQL-only phase counts stay in-process, and the
      // CLI's other suites test the client, which the API suites already cover from the server's side; the files
      // that call the domain or database code on the test's own handle (statement counts, row mapping) stay in-process
      withWorkers(nodeProject('devworker', 'devworker', [
        'test/api/**/*.test.ts', 'test/fleet/**/*.test.ts', 'test/apps/**/*.test.ts', 'test/cli/commands.test.ts',
        // the command itself, the connector through it, the database lost mid-request
        'test/dev-worker/**/*.test.ts',
      ], [
        'test/fleet/node-push.test.ts', 'test/apps/phase-counts.test.ts', 'test/apps/cluster-sync-cost.test.ts',
        'test/apps/json-rows.test.ts', 'test/api/table-select.test.ts',
      ]), 3, 2),
      // the console in Debian's Chromium against the real Node server, by itself: Chromium wants the machine's cores
      withWorkers(nodeProject('browser', 'pglite', ['test/browser/**/*.test.ts']), 2, 3),
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { ...inject('workerdEnv') } },
          })),
        ],
        // last and by itself, as its rate-limit and render-budget files time themselves
        test: { name: 'workerd', include: ['test/workerd/**/*.test.ts'], sequence: { groupOrder: 4 } },
      },
    ],
  },
});
