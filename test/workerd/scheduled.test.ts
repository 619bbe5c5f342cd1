import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.js';
import { openNeon, useLocalWsProxy } from '../../db/neon.js';
import { rowsOf } from '../../db/rows.js';
import worker from '../../worker/index.js';
import { sha256Hex } from '../../worker/lib/crypto.js';
import { scheduledOnWorkers } from '../../worker/scheduled/workers.js';
import { call, origin } from './call.js';

/** The cron trigger inside workerd: the scheduled handler on the real Postgres through the Neon driver. */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);

/** An API token minted under `key`, which keeps an idempotency record. */
const mintUnder = (tenant: string, key: string) =>
  exports.default.fetch(`${origin}/v1/tenants/${tenant}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ spec: { role: 'viewer', description: key } }),
  });

/** The test's own Neon connection, to age rows the API just made. */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  useLocalWsProxy(String(env.FLEETPLANE_NEON_WS_PROXY));
  const { db, pool } = openNeon(String(env.DATABASE_URL));
  try {
    return await fn(db);
  } finally {
    await pool.end();
  }
}

const keysLeft = (keys: string[]) =>
  withDb(async (db) => rowsOf<{ key: string }>(await db.execute(sql`
    select key from idempotency_records where key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)}) order by key`)).map((r) => r.key));

describe('the scheduled handler in workerd', () => {
  it('runs the janitor: rows past their 24 h are gone, fresh ones stay; the summary is one JSON line', async () => {
    const t = `wsc-${Date.now().toString(36)}`;
    expect((await call('PUT', `/v1/tenants/${t}`, adminToken, { spec: { displayName: 'Scheduled' } })).status).toBe(201);
    expect((await call('PUT', `/v1/tenants/${t}/clusters/edge`, adminToken, { spec: {} })).status).toBe(201);
    const mint = (key: string) => mintUnder(t, key);
    const [oldKey, freshKey] = [`${t}-old`, `${t}-fresh`];
    expect((await mint(oldKey)).status).toBe(201);
    expect((await mint(freshKey)).status).toBe(201);
    const stale = await call('POST', `/v1/tenants/${t}/clusters/edge/join-tokens`, adminToken, {});
    const live = await call('POST', `/v1/tenants/${t}/clusters/edge/join-tokens`, adminToken, {});
    const [staleHash, liveHash] = [await sha256Hex(stale.json.token), await sha256Hex(live.json.token)];
    await withDb(async (db) => {
      await db.execute(sql`update idempotency_records set created_at = now() - interval '25 hours' where key = ${oldKey}`);
      await db.execute(sql`update join_tokens set expires_at = now() - interval '25 hours' where secret_hash = ${staleHash}`);
    });

    const log = vi.spyOn(console, 'log');
    try {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env, ctx);
      await waitOnExecutionContext(ctx);
      const lines = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"scheduled"'));
      // (the sweeper's count depends on clusters other files of this project left silent)
      expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ scheduled: '* * * * *', skipped: false, jobs: { 'silent-clusters': expect.any(Number), rollouts: expect.any(Number), janitor: 2 } }]);
    } finally {
      log.mockRestore();
    }

    expect(await keysLeft([oldKey, freshKey])).toEqual([freshKey]);
    const tokens = await withDb(async (db) => rowsOf<{ secret_hash: string }>(await db.execute(sql`
      select secret_hash from join_tokens where secret_hash in (${staleHash}, ${liveHash})`)).map((r) => r.secret_hash));
    expect(tokens).toEqual([liveHash]);
    // the fresh key still replays; the deleted one is a new request
    expect((await mint(freshKey)).headers.get('idempotent-replayed')).toBe('true');
    const again = await mint(oldKey);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it("settles progressive rollouts: a cluster past its progress deadline turns Failed and pauses the rollout when the cron runs", async () => {
    const t = `wro-${Date.now().toString(36)}`;
    expect((await call('PUT', `/v1/tenants/${t}`, adminToken, { spec: { displayName: 'Rollout' } })).status).toBe(201);
    expect((await call('PUT', `/v1/tenants/${t}/clusters/c1`, adminToken, { spec: {} })).status).toBe(201);
    const app = await call('PUT', `/v1/tenants/${t}/apps/web`, adminToken, { spec: {
      template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'web', placement: { clusters: ['c1'] },
      rollout: { strategy: 'Progressive', pauseOnFailure: true, progressDeadlineSeconds: 60 },
    } });
    expect(app.status).toBe(201);
    expect(app.json.status.rollout).toMatchObject({ wave: 1, state: 'Progressing' });
    // released an hour ago, never reported: the deadline passed while nobody asked
    await withDb((db) => db.execute(sql`update placements set released_at = now() - interval '1 hour' where owner_uid = ${app.json.metadata.uid}`));
    const ctx = createExecutionContext();
    const run = await scheduledOnWorkers(env, new Date(), ctx);
    await waitOnExecutionContext(ctx);
    expect(run).toMatchObject({ skipped: false, jobs: { rollouts: expect.any(Number) } });
    const after = await call('GET', `/v1/tenants/${t}/apps/web`, adminToken);
    expect(after.json.status).toMatchObject({ phase: 'Paused', rollout: { state: 'Paused', message: 'wave 1 paused: c1 failed: not Ready within the progress deadline (60 s)' } });
  });

  it('a run with nothing to do reports 0 and ends its connection', async () => {
    const ctx = createExecutionContext();
    expect(await scheduledOnWorkers(env, new Date(), ctx)).toMatchObject({ skipped: false, jobs: { 'silent-clusters': expect.any(Number), rollouts: expect.any(Number), janitor: 0 } });
    await waitOnExecutionContext(ctx);
  });
});
