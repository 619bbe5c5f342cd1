import { createServer } from 'node:http';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWsPipe, type WsPipe } from '../../scripts/dev-worker/ws-pipe.js';
import { ADMIN, controlPlaneApi } from '../connector/support.js';
import { startDevWorker, type DevWorker } from '../support/dev-worker.js';
import { createMigratedDatabase } from '../support/postgres.js';

/**
 * The Neon driver losing its connection under `npm run dev:worker`: the pipe
 * it reaches Postgres through (started here, handed over in
 * FLEETPLANE_NEON_WS_PROXY) is killed while a request holds a transaction.
 */
let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
let pipe: WsPipe;
let worker: DevWorker;
let api: ReturnType<typeof controlPlaneApi>;

beforeAll(async () => {
  database = await createMigratedDatabase();
  pipe = await startWsPipe();
  worker = await startDevWorker({ DATABASE_URL: database.url, FLEETPLANE_NEON_WS_PROXY: pipe.proxy, FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0' });
  api = controlPlaneApi(worker.url);
});
afterAll(async () => {
  await worker?.stop();
  await pipe?.close();
  await database?.drop();
});

const expectUnavailable = (r: Awaited<ReturnType<typeof api>>) => {
  expect(r.status).toBe(503);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(r.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
};

describe('the database lost mid-request, on Workers', () => {
  it('a transaction cut by the pipe dying is a 503 problem with Retry-After; nothing half-written; back when the pipe is', { timeout: 60_000 }, async () => {
    expect((await api('PUT', '/v1/tenants/acme', { spec: { displayName: 'Acme' } })).status).toBe(201);

    // hold the tenant's row, so the worker's update waits inside its transaction
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query("select 1 from tenants where name = 'acme' for update");
      const update = api('PUT', '/v1/tenants/acme', { spec: { displayName: 'Changed' } });
      // the worker's transaction waits on the row: it holds a connection through the pipe, mid-request
      let blocked = false;
      for (let i = 0; i < 100 && !blocked; i++) {
        await new Promise((r) => setTimeout(r, 50));
        await holder.query('select pg_stat_clear_snapshot()'); // else the transaction sees one snapshot of the view
        const waiting = await holder.query("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
        blocked = waiting.rows[0].n > 0;
      }
      expect(blocked).toBe(true);
      await pipe.close();
      expectUnavailable(await update);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }

    // while it is gone: every request that needs the database is a 503, none hangs or crashes the worker
    expectUnavailable(await api('GET', '/v1/tenants/acme'));
    expectUnavailable(await api('PUT', '/v1/tenants/acme', { spec: { displayName: 'Changed' } }));
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);

    // the pipe returns on the same address: served again, and the cut update left nothing behind
    pipe = await startWsPipe({ port: pipe.port });
    const back = await api('GET', '/v1/tenants/acme');
    expect(back.status).toBe(200);
    expect(back.body.spec.displayName).toBe('Acme');
    expect(back.body.metadata.generation).toBe(1);
    expect((await api('PUT', '/v1/tenants/acme', { spec: { displayName: 'Changed' } })).status).toBe(200);
    expect(worker.log()).not.toMatch(/Uncaught|unhandled/i);
  });

  it('a database that accepts the connection and never answers is a 503 after the 5 s connect timeout, not a hung request', { timeout: 60_000 }, async () => {
    await pipe.close();
    // Neon's proxy reachable, Postgres behind it silent: the WebSocket opens, no byte comes back
    const http = createServer();
    const silent = new WebSocketServer({ server: http });
    await new Promise<void>((r) => http.listen(pipe.port, '127.0.0.1', r));
    try {
      const started = performance.now();
      expectUnavailable(await api('GET', '/v1/tenants/acme'));
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      for (const c of silent.clients) c.terminate();
      silent.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
    pipe = await startWsPipe({ port: pipe.port });
    expect((await api('GET', '/v1/tenants/acme')).status).toBe(200);
  });
});
