import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, clusterStatusReports, tenants as tenantRows } from '../../db/schema/index.js';
import { statusBatchStats } from '../../worker/domain/connector/status-batch.js';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { driverUnderTest } from '../support/database.js';
import { joinCluster } from '../support/fleet.js';
import { eventually } from '../kube/helpers.js';
import { seedTenant, startHarness, type Harness, type SeededTenant } from '../support/harness.js';

/**
 * Status reports arriving together are written together (status-batch.ts):
 * each still judged on its own credential and seq, and a batch that moves a
 * progressive rollout of one tenant still releases its next wave.
 */
let h: Harness;
const tenants: Record<string, SeededTenant> = {};
type Joined = Awaited<ReturnType<typeof joinCluster>> & { name: string; tenant: string };
const clusters: Joined[] = [];
const waves = [{ matchLabels: { ring: 'canary' } }];

beforeAll(async () => {
  h = await startHarness();
  for (const name of ['acme', 'globex']) {
    tenants[name] = await seedTenant(h, name);
    await publishWebTemplate(h, name, tenants[name].tokens.operator);
  }
  for (let i = 0; i < 12; i++) {
    const tenant = i < 8 ? 'acme' : 'globex';
    const labels = { env: 'prod', ...(tenant === 'globex' && i === 8 ? { ring: 'canary' } : {}) };
    clusters.push({ name: `c${i}`, tenant, ...(await joinCluster(h, tenant, `c${i}`, labels)) });
  }
  expect((await putApp(h, 'acme', tenants.acme!.tokens.operator, 'shop', appSpec())).status).toBe(201);
  // globex rolls out progressively: its canary (c8) first, the rest once c8 is Ready
  const progressive = appSpec({ rollout: { strategy: 'Progressive', waves } });
  expect((await putApp(h, 'globex', tenants.globex!.tokens.operator, 'shop', progressive)).status).toBe(201);
});
afterAll(() => h.close());

const report = (c: Joined, seq: number, health: string) => h.call('PUT', '/v1/connector/status', {
  token: c.credential,
  body: { seq, revision: 0, apps: [{ name: 'shop', revision: 1, resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'shop', health }] }] },
});
const app = async (tenant: string) => (await h.call('GET', `/v1/tenants/${tenant}/apps/shop`, { token: tenants[tenant]!.tokens.viewer })).body;
const storedSeq = async (c: Joined) => (await h.db.select().from(clusterStatusReports).where(eq(clusterStatusReports.clusterUid, c.uid)))[0]?.seq;

describe('status reports written in batches', () => {
  it('each report is judged on its own credential and seq; verdicts, phases and a rollout move as if sent one by one', async () => {
    const revoked = clusters.filter((c) => c.name === 'c3' || c.name === 'c10');
    for (const c of revoked) {
      expect((await h.call('POST', `/v1/tenants/${c.tenant}/clusters/${c.name}/revoke`, { token: tenants[c.tenant]!.tokens.admin, body: {} })).status).toBeLessThan(300);
    }
    const serving = clusters.filter((c) => c.tenant === 'globex' && !revoked.includes(c));
    expect((await Promise.all(serving.map(async (c) => (await desiredOf(h, c.credential)).apps.length)))).toEqual([1, 0, 0]);

    const before = statusBatchStats(h.db);
    // per cluster at once: the newest (seq 3, Healthy) and two older ones it must win over, in any order
    const sent = clusters.flatMap((c) => [[2, 'Progressing'], [3, 'Healthy'], [1, 'Degraded']].map(([seq, health]) => ({ c, seq: seq as number, health: health as string })));
    const answers = await Promise.all(sent.map(({ c, seq, health }) => report(c, seq, health)));
    answers.forEach((a, i) => expect(a.status, `${sent[i]!.c.name} seq ${sent[i]!.seq}`).toBe(revoked.includes(sent[i]!.c) ? 401 : 204));

    for (const c of clusters) expect(await storedSeq(c), c.name).toBe(revoked.includes(c) ? undefined : 3);
    const acme = await app('acme');
    expect(acme.status.clusters.filter((c: { phase: string }) => c.phase === 'Ready')).toHaveLength(7);
    expect(acme.status.summary).toMatchObject({ clusters: 8, ready: 7 });
    // the canary's Healthy report released globex's second wave
    expect((await app('globex')).status.rollout).toMatchObject({ wave: 2, state: 'Progressing' });
    expect((await Promise.all(serving.map(async (c) => (await desiredOf(h, c.credential)).apps.length)))).toEqual([1, 1, 1]);

    if (h.driver !== 'devworker') {
      // in-process the statements were shared (behind dev:worker each request writes alone)
      const after = statusBatchStats(h.db);
      expect(after.rows - before.rows).toBe(sent.length);
      expect(after.batches - before.batches).toBeLessThan(sent.length / 2);
    }
  });

  it('what Postgres text cannot hold (U+0000) is refused with the field that holds it, before any batch', async () => {
    const [c0, c1] = clusters;
    const resources = (message: string) => [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'shop', health: 'Healthy', message }];
    const body = (name: string, message: string) => ({ seq: Date.now(), revision: 0, apps: [{ name, revision: 1, resources: resources(message) }] });
    const [bad, odd, fine] = await Promise.all([
      h.call('PUT', '/v1/connector/status', { token: c0!.credential, body: body('shop\u0000', 'ok') }),
      h.call('PUT', '/v1/connector/status', { token: c1!.credential, body: body('shop', 'a\u0000b') }),
      report(clusters[2]!, Date.now(), 'Healthy'),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/apps/0/name']);
    expect(odd.status).toBe(400);
    expect(odd.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/apps/0/resources/0/message']);
    expect(fine.status).toBe(204);
    // nothing of either was stored: the app still reads
    const shop = await app('acme');
    expect(shop.status.clusters.find((c: { name: string }) => c.name === 'c1').resources[0]).toMatchObject({ health: 'Healthy' });
  });

  // a row lock held by another connection: the in-process app on the real Postgres (PGlite has one connection;
  // behind dev:worker every report is a batch of its own)
  it.runIf(driverUnderTest() === 'pg')('a batch does not wait for the app phases it moved: the next batches are stored meanwhile', async () => {
    const [shop] = await h.db.select({ uid: apps.uid }).from(apps).innerJoin(tenantRows, eq(tenantRows.uid, apps.tenantId))
      .where(and(eq(tenantRows.name, 'acme'), eq(apps.name, 'shop')));
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const held = new Promise<void>((r) => (release = r));
    // recording the app's phase takes its row lock, so while this holds it every recording waits
    const holder = h.db.transaction(async (tx) => {
      await tx.select().from(apps).where(eq(apps.uid, shop!.uid)).for('update');
      locked();
      await held;
    });
    await isLocked;
    const reporting = clusters.filter((c) => ['c0', 'c1', 'c2'].includes(c.name));
    const seq = Date.now() + 1000;
    const answers = [];
    try {
      // one at a time, so each is a batch of its own; more batches than the two that may be in flight
      for (const [i, c] of reporting.entries()) {
        answers.push(report(c, seq + i, 'Degraded'));
        await eventually(async () => (await storedSeq(c)) === seq + i || undefined);
      }
      const first = await Promise.race([Promise.all(answers).then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 200))]);
      expect(first, 'a report is answered once its app phase is recorded').toBe('waiting');
    } finally {
      release();
      await holder;
    }
    for (const a of await Promise.all(answers)) expect(a.status).toBe(204);
    expect((await app('acme')).status.summary).toMatchObject({ clusters: 8, ready: 4 });
  });
});
