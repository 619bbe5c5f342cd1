import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer, type RunningServer } from '../../worker/node/server.js';
import { driverUnderTest } from '../support/database.js';
import { createMigratedDatabase } from '../support/postgres.js';
import { openLiveFeed } from './support.js';

/** Two Node replicas on one Postgres: a change made through one reaches a console tab open on the other (LISTEN/NOTIFY). */
const ADMIN = `fp_${'l'.repeat(43)}`;
let dirs: string[] = [];
let database: { url: string; drop: () => Promise<void> };
let a: RunningServer;
let b: RunningServer;

const replica = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-live-'));
  dirs.push(dir);
  return startNodeServer(parseEnv({
    PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, DATABASE_URL: database.url,
    FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0',
  }), '127.0.0.1');
};

describe.skipIf(driverUnderTest() !== 'pg')('the live feed across replicas', () => {
  beforeAll(async () => {
    database = await createMigratedDatabase();
    [a, b] = [await replica(), await replica()];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    dirs = [];
  });

  it('a cluster created through replica A is announced to a tab on replica B', async () => {
    const put = await fetch(`${a.url}/v1/tenants/acme`, {
      method: 'PUT', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec: { displayName: 'acme' } }),
    });
    expect(put.status).toBe(201);
    const signedIn = await fetch(`${b.url}/console/sign-in`, {
      method: 'POST', redirect: 'manual',
      headers: { origin: b.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: ADMIN, next: '/console' }),
    });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const feed = await openLiveFeed(fetch, `${b.url}/console/t/acme/live`, cookie);
    expect(feed.res.status).toBe(200);
    const made = await fetch(`${a.url}/v1/tenants/acme/clusters/edge-1`, {
      method: 'PUT', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { labels: {} }, spec: {} }),
    });
    expect(made.status).toBe(201);
    await expect.poll(() => feed.events, { timeout: 2000 }).toContain('Cluster');
    await feed.close();
  });
});
