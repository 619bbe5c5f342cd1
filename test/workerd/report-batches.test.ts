import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNeon, useLocalWsProxy } from '../../db/neon.js';
import { rowsOf } from '../../db/rows.js';
import { statusBatchStats, writeReport, type ReportWrite } from '../../worker/domain/connector/status-batch.js';
import { trackEnqueued } from '../../worker/webhooks/enqueued.js';
import { call, joinCluster } from './call.js';

/**
 * Whose request learns of a report batch's webhook deliveries, in workerd,
 * where that is an AsyncLocalStorage scope. With two batches in flight, a
 * third report waits; the batch that carries it is started when one of the
 * first two ends, in the scope of the request that started that one, which
 * may be answered already. Its deliveries must reach the third report's
 * caller all the same, or they wait for the next cron run.
 */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const tenant = `rb-${Date.now().toString(36)}`;
const base = `/v1/tenants/${tenant}`;
const VERSION = { manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app.name}\ndata:\n  a: "1"\n' };
const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'web' };

useLocalWsProxy(String(env.FLEETPLANE_NEON_WS_PROXY));
// the batcher's two statements in flight, and a third connection that holds them back
const writes = openNeon(String(env.DATABASE_URL), 4);
const locker = openNeon(String(env.DATABASE_URL), 1);
afterAll(async () => {
  await writes.pool.end();
  await locker.pool.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const reportOf = (app: string, clusterUid: string, seq: number, health: string): ReportWrite => {
  const apps = [{ name: app, revision: 1, resources: [{ ...resource, name: app, health }] }];
  return { clusterUid, generation: 1, seq, revision: 1, apps, appsJson: JSON.stringify(apps), at: new Date() };
};

/** One caller's report in a scope of its own, as a request has: whether it was stored, and the tenants noted in its scope. */
const caller = (r: ReportWrite) => trackEnqueued(() => writeReport(writes.db, r)).then((t) => ({ stored: t.result !== undefined, tenants: t.tenants }));

/** An app placed on three clusters of its own, by label. */
async function appOnThree(app: string): Promise<[string, string, string]> {
  const put = await call('PUT', `${base}/apps/${app}`, adminToken, {
    spec: { template: { name: 'web', version: '1.0.0' }, namespace: 'web', placement: { selector: { matchLabels: { app } } } },
  });
  expect(put.status, put.text).toBe(201);
  const uids = [];
  for (const n of ['a', 'b', 'c']) uids.push((await joinCluster(tenant, `${app}-${n}`, { app })).uid);
  return uids as [string, string, string];
}

/**
 * a and b report first (`aAndB`); then, with their stored rows locked, they
 * report again, one batch each, both held: the batcher has no room for a
 * third, so c's report waits, and its batch starts when one of theirs ends,
 * in that caller's scope. c's report makes all three Ready: the app's only
 * phase change, and the only webhook delivery.
 */
async function heldRound(app: string, [a, b, c]: [string, string, string], aAndB: string) {
  for (const uid of [a, b]) expect((await caller(reportOf(app, uid, 1, aAndB))).stored).toBe(true);
  const before = statusBatchStats(writes.db);
  const lock = await locker.pool.connect();
  let first: ReturnType<typeof caller>, second: typeof first, third: typeof first;
  let thirdDone = false;
  try {
    await lock.query('begin');
    await lock.query('select 1 from cluster_status_reports where cluster_uid = any($1::uuid[]) for update', [[a, b]]);
    first = caller(reportOf(app, a, 2, 'Healthy'));
    await sleep(100);
    second = caller(reportOf(app, b, 2, 'Healthy'));
    await sleep(100);
    third = caller(reportOf(app, c, 1, 'Healthy'));
    void third.then(() => (thirdDone = true));
    await sleep(100);
    expect(thirdDone).toBe(false);
    expect(statusBatchStats(writes.db).batches).toBe(before.batches);
  } finally {
    await lock.query('commit');
    lock.release();
  }
  const answers = await Promise.all([first!, second!, third!]);
  // three batches of one: the third began when one of the first two ended
  expect(statusBatchStats(writes.db)).toMatchObject({ batches: before.batches + 3, rows: before.rows + 3 });
  expect(answers.map((r) => r.stored)).toEqual([true, true, true]);
  // the delivery is in the outbox (nothing here sends it)
  const ready = rowsOf<{ id: string }>(await writes.db.execute(sql`
    select id from webhook_deliveries where tenant_id = ${tenantUid} and type = 'AppPhaseChanged'
      and body like '%Progressing → Ready%' and body like ${`%"${app}"%`}`));
  expect(ready).toHaveLength(1);
  return answers.map((r) => r.tenants);
}

let tenantUid = '';

beforeAll(async () => {
  expect((await call('PUT', base, adminToken, { spec: { displayName: 'Report batches' } })).status).toBe(201);
  expect((await call('PUT', `${base}/webhooks/ops`, adminToken, { spec: { url: `${String(env.WEBHOOK_RECEIVER_URL)}/${tenant}` } })).status).toBe(201);
  expect((await call('PUT', `${base}/templates/web`, adminToken, { spec: {} })).status).toBe(201);
  expect((await call('PUT', `${base}/templates/web/versions/1.0.0`, adminToken, { spec: VERSION })).status).toBe(201);
  tenantUid = rowsOf<{ uid: string }>(await writes.db.execute(sql`select uid::text from tenants where name = ${tenant}`))[0]!.uid;
});

describe('a report batch started in another request’s scope', () => {
  it('hands the tenants whose deliveries it enqueued to its own first caller', async () => {
    // a and b Healthy already: their next reports change no verdict, so only c's batch recounts the app
    const [r1, r2, r3] = await heldRound('one', await appOnThree('one'), 'Healthy');
    expect(r3).toEqual([tenantUid]);
    expect([r1, r2]).toEqual([[], []]);
  });

  it('when a recount of another batch carries the change, its own first caller learns of it, and only that caller', async () => {
    // a and b Progressing first: their held reports move verdicts too, and their batches' recounts of the app
    // are coalesced with c's (TrailingRuns); whichever batch's recount sees all three Ready notes the delivery
    const tenants = await heldRound('two', await appOnThree('two'), 'Progressing');
    expect(tenants.flat()).toEqual([tenantUid]);
  });
});
