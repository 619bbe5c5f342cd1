import { randomBytes } from 'node:crypto';
import { openNodePostgres } from '../../db/node-postgres.js';
import { TEST_CLOCK_HEADER } from '../../worker/lib/test-clock.js';
import type { RateLimits } from '../../worker/lib/throttles.js';
import { testClock } from './clock.js';
import { startDevWorker } from './dev-worker.js';
import { caller, type Harness, type HarnessOptions } from './harness.js';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.js';
import { createMigratedDatabase, emptyDatabase } from './postgres.js';
import { sharedPerProcess } from './shared-per-process.js';
import type { SharedProcess } from './shared-teardown.js';

/** `npm run dev:worker` on a database of its own, with the OIDC issuer and admin token it was started with. */
interface RemoteApp extends SharedProcess {
  url: string;
  oidc: OidcIssuer;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * `npm run dev:worker` on a fresh database of the machine's Postgres (the Neon
 * driver through the command's own pipe), configured through the environment
 * only, as a user would.
 */
async function startRemoteApp(limits: RateLimits): Promise<RemoteApp> {
  const database = await createMigratedDatabase();
  const oidc = await startOidcIssuer();
  const adminToken = `fp_${randomBytes(32).toString('base64url')}`;
  const worker = await startDevWorker({
    DATABASE_URL: database.url,
    FLEETPLANE_ADMIN_TOKEN: adminToken,
    FLEETPLANE_PUBLIC_URL: 'https://fleetplane.test',
    FLEETPLANE_TEST_CLOCK: 'true',
    FLEETPLANE_RATE_LIMIT: String(limits.caller),
    FLEETPLANE_TENANT_RATE_LIMIT: String(limits.tenant),
    FLEETPLANE_CONNECTOR_RATE_LIMIT: String(limits.connector),
    FLEETPLANE_AUTH_FAILURE_LIMIT: String(limits.authFailuresPerMinute),
    OIDC_ISSUER: oidc.issuer,
    OIDC_AUDIENCE: oidc.audience,
    OIDC_JWKS_URL: oidc.jwksUrl,
  }).catch(async (err) => {
    await oidc.close();
    await database.drop();
    throw err;
  });
  return {
    url: worker.url, databaseUrl: database.url, oidc, adminToken, pid: worker.pid, dataDir: worker.dataDir,
    stop: async () => {
      await worker.stop();
      await oidc.close();
      await database.drop();
    },
  };
}

const NO_LIMITS: RateLimits = { caller: 0, tenant: 0, connector: 0, authFailuresPerMinute: 0 };

/**
 * The harness with the app in workerd. Harnesses without limits of their own share one
 * command per test process: starting and stopping it took 5-6 s a file, most of the
 * devworker project's time. Each of them starts on an emptied database, which no other
 * file's rows or counters reach; what the worker keeps in memory is keyed by uids and
 * tokens a later file never has. Limits count per caller and address across requests,
 * so a harness with limits gets a command of its own. The test clock travels with each request
 * (FLEETPLANE_TEST_CLOCK); the database is read directly through node-postgres.
 */
export async function startRemoteHarness(opts: HarnessOptions): Promise<Harness> {
  const own = opts.rateLimit !== undefined || opts.limits !== undefined;
  const app = own
    ? await startRemoteApp({ ...NO_LIMITS, caller: opts.rateLimit ?? 0, ...opts.limits })
    : await sharedPerProcess('dev-worker', () => startRemoteApp(NO_LIMITS));
  if (!own) await emptyDatabase(app.databaseUrl);
  const clock = testClock();
  const { pool, db } = openNodePostgres(app.databaseUrl, 2);
  const fetchWorker = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set(TEST_CLOCK_HEADER, String(clock.now().getTime()));
    return fetch(new URL(path, app.url), { ...init, headers });
  };
  return {
    driver: 'devworker',
    db,
    clock,
    oidc: app.oidc,
    adminToken: app.adminToken,
    call: caller(fetchWorker),
    fetch: fetchWorker,
    close: async () => {
      await pool.end();
      if (own) await app.stop();
    },
  };
}
