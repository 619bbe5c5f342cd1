import { randomBytes } from 'node:crypto';
import { openNodePostgres } from '../../db/node-postgres.js';
import { TEST_CLOCK_HEADER } from '../../worker/lib/test-clock.js';
import { testClock } from './clock.js';
import { startDevWorker } from './dev-worker.js';
import { caller, type Harness, type HarnessOptions } from './harness.js';
import { startOidcIssuer } from './oidc-issuer.js';
import { createMigratedDatabase } from './postgres.js';

/**
 * The harness with the app in workerd: `npm run dev:worker` on a fresh
 * database of the machine's Postgres (the Neon driver through the command's
 * own pipe), configured through the environment only, as a user would. The
 * test clock travels with each request (FLEETPLANE_TEST_CLOCK); the database
 * is read directly through node-postgres.
 */
export async function startRemoteHarness(opts: HarnessOptions): Promise<Harness> {
  const database = await createMigratedDatabase();
  const clock = testClock();
  const oidc = await startOidcIssuer();
  const adminToken = `fp_${randomBytes(32).toString('base64url')}`;
  const limits = { caller: opts.rateLimit ?? 0, tenant: 0, connector: 0, authFailuresPerMinute: 0, ...opts.limits };
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
  const { pool, db } = openNodePostgres(database.url, 2);
  const fetchWorker = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set(TEST_CLOCK_HEADER, String(clock.now().getTime()));
    return fetch(new URL(path, worker.url), { ...init, headers });
  };
  return {
    driver: 'devworker',
    db,
    clock,
    oidc,
    adminToken,
    call: caller(fetchWorker),
    fetch: fetchWorker,
    close: async () => {
      await worker.stop();
      await pool.end();
      await oidc.close();
      await database.drop();
    },
  };
}
