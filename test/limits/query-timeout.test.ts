import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { openNeon, useLocalWsProxy } from '../../db/neon.js';
import { openNodePostgres } from '../../db/node-postgres.js';
import { startWsPipe, type WsPipe } from '../../scripts/dev-worker/ws-pipe.js';
import { driverUnderTest } from '../support/database.js';
import { minimalApp } from '../support/minimal-app.js';
import { createDatabase, createMigratedDatabase } from '../support/postgres.js';
import { startSilentPath, type SilentPath } from '../support/silent-path.js';

/**
 * Each statement's time limit (db/query-limits.ts), on the real Postgres:
 * Postgres cancels a statement that waits past it, and the driver stops
 * waiting for a Postgres that no longer answers. Either way the request is a
 * 503 with Retry-After, not a request held until a socket closes, and the
 * pool serves again afterwards: the connection whose answer never came is
 * dropped, not handed to the next request.
 */

const LIMIT_MS = 500;
/** the driver's own limit: Postgres's and its grace (2 s) */
const DRIVER_MS = LIMIT_MS + 2_000;
const adminToken = `fp_${'q'.repeat(43)}`;

let database: { url: string; drop: () => Promise<void> };
let path: SilentPath;
let pipe: WsPipe;

beforeAll(async () => {
  if (driverUnderTest() !== 'pg') return;
  database = await createMigratedDatabase();
  path = await startSilentPath();
  pipe = await startWsPipe();
});

afterAll(async () => {
  await pipe?.close();
  await path?.close();
  await database?.drop();
});

const appOn = (db: Db) => minimalApp(db, adminToken);

type App = Awaited<ReturnType<typeof appOn>>;

/** One request: its status, problem detail and Retry-After, and how long it took. */
async function timed(app: App, method: string, path: string, body?: unknown) {
  const start = performance.now();
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, retryAfter: res.headers.get('retry-after'), ms: performance.now() - start };
}

describe.skipIf(driverUnderTest() !== 'pg')('each statement’s time limit', () => {
  it('a statement waiting past it is cancelled by Postgres: 503 with Retry-After, and the pool serves on', async () => {
    const { db, pool } = openNodePostgres(database.url, 1, LIMIT_MS);
    const app = await appOn(db);
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      expect((await timed(app, 'GET', '/v1/tenants')).status).toBe(200);
      await holder.query('begin');
      await holder.query('lock table tenants in access exclusive mode');
      const held = await timed(app, 'GET', '/v1/tenants');
      expect(held.status, held.text).toBe(503);
      expect(held.retryAfter).toBe('5');
      expect(JSON.parse(held.text).detail).toMatch(/time limit/);
      // Postgres's cancel, at the limit, and not the driver's, later
      expect(held.ms).toBeGreaterThanOrEqual(LIMIT_MS - 50);
      expect(held.ms).toBeLessThan(DRIVER_MS);
      await holder.query('commit');
      expect((await timed(app, 'GET', '/v1/tenants')).status).toBe(200);
    } finally {
      await holder.end();
      await pool.end();
    }
  });

  it('migrations run with none, even where the database sets one; the application’s own limit is per connection', async () => {
    const fresh = await createDatabase();
    try {
      const name = new URL(fresh.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: fresh.url });
      await admin.connect();
      // what a role or database setting does for every session (as DEPLOY.md has it set on Neon), at 1 ms
      await admin.query(`alter database "${name}" set statement_timeout = '1ms'`);
      await admin.end();
      const { pool, migrate } = openNodePostgres(fresh.url, 1, LIMIT_MS);
      try {
        await migrate();
        const { rows } = await pool.query<{ limit: string; tables: number }>(
          `select current_setting('statement_timeout') as limit, (select count(*)::int from pg_tables where tablename = 'tenants') as tables`);
        expect(rows[0]).toEqual({ limit: `${LIMIT_MS}ms`, tables: 1 });
      } finally {
        await pool.end();
      }
    } finally {
      await fresh.drop();
    }
  });

  const drivers: [string, string, () => { db: Db; pool: { end(): Promise<void> } }][] = [
    ['node-postgres', 'quiet-pg', () => openNodePostgres(path.through(database.url), 1, LIMIT_MS)],
    ['the Neon driver, through the WebSocket pipe', 'quiet-neon', () => {
      useLocalWsProxy(pipe.proxy);
      return openNeon(path.through(database.url), 1, LIMIT_MS);
    }],
  ];

  it.each(drivers)('%s: a Postgres that stops answering mid-statement is a 503 at the driver’s limit, and its connection is dropped', async (_name, tenant, open) => {
    const { db, pool } = open();
    const app = await appOn(db);
    try {
      for (const [method, p, body, created] of [
        // a transaction: its rollback goes to the same connection, after the statement that got no answer
        ['PUT', `/v1/tenants/${tenant}`, { spec: { displayName: 'Quiet' } }, 201],
        // a statement alone, on the pool
        ['GET', '/v1/tenants', undefined, 200],
      ] as const) {
        expect((await timed(app, 'GET', '/v1/tenants')).status).toBe(200); // the pool's one connection is open
        path.silence();
        const lost = await timed(app, method, p, body);
        path.restore();
        expect(lost.status, lost.text).toBe(503);
        expect(lost.retryAfter).toBe('5');
        expect(lost.ms).toBeGreaterThanOrEqual(DRIVER_MS - 50);
        expect(lost.ms).toBeLessThan(DRIVER_MS + 1_500);
        // the next request gets a fresh connection: the silent one would never answer again, and waiting on it would take DRIVER_MS
        const next = await timed(app, method, p, body);
        expect(next.status, next.text).toBe(created);
        expect(next.ms).toBeLessThan(DRIVER_MS - 500);
      }
    } finally {
      await pool.end();
    }
  });
});
