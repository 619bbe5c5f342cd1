import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { heartbeatBatchStats, writeHeartbeat } from '../../worker/domain/connector/heartbeat-batch.js';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';
import { clusterOf, heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seedTenant(h, 'acme');
});
afterAll(() => h.close());

const commitSetting = async (db: Db) =>
  rowsOf<{ s: string }>(await db.execute(sql`select current_setting('synchronous_commit') as s`))[0]!.s;

describe('heartbeats written in batches', () => {
  it('a batch commits without waiting for the WAL flush, in its own transaction alone', async () => {
    await joinCluster(h, 'acme', 'hb-async');
    const { uid } = (await clusterOf(h, 'acme', 'hb-async')).body.metadata;
    const { generation } = rowsOf<{ generation: number }>(
      await h.db.execute(sql`select credential_generation as generation from clusters where uid = ${uid}`))[0]!;
    const write = {
      clusterUid: uid, generation, at: new Date(), ready: true, kubernetesVersion: 'v1.31.0', nodeCount: 5,
      appliedRevision: undefined, conditions: [], carriesDrift: false,
    };
    expect(await commitSetting(h.db)).toBe('on');
    const inside = await h.db.transaction(async (tx) => {
      expect((await writeHeartbeat(tx, write))?.cluster_uid).toBe(uid);
      return commitSetting(tx);
    });
    expect(inside).toBe('off');
    // set for that transaction only: what the connection commits next waits for the flush again
    expect(await commitSetting(h.db)).toBe('on');
    expect((await clusterOf(h, 'acme', 'hb-async')).body.status.nodeCount).toBe(5);
  });

  it('each of many concurrent heartbeats gets its own cluster\'s answer; revoked ones alone are refused', async () => {
    const clusters = [];
    for (let i = 0; i < 24; i++) clusters.push({ name: `hb-${i}`, ...(await joinCluster(h, 'acme', `hb-${i}`, { n: String(i) })) });
    // distinct desired revisions: every third cluster moved once more
    for (const c of clusters.filter((_, i) => i % 3 === 0)) {
      expect((await h.call('PUT', `/v1/tenants/acme/clusters/${c.name}`, { token: h.adminToken, body: { metadata: { labels: { moved: 'yes' } }, spec: {} } })).status).toBe(200);
    }
    const revoked = new Set(clusters.filter((_, i) => i % 5 === 4).map((c) => c.name));
    for (const name of revoked) expect((await h.call('POST', `/v1/tenants/acme/clusters/${name}/revoke`, { token: h.adminToken, body: {} })).status).toBeLessThan(300);
    const desired = new Map<string, number>();
    for (const c of clusters) desired.set(c.name, (await clusterOf(h, 'acme', c.name)).body.status.desiredRevision);
    const before = heartbeatBatchStats(h.db);
    // four heartbeats per cluster at once, the same cluster's in one burst too
    const sent = clusters.flatMap((c) => [1, 2, 3, 4].map((k) => ({ c, k })));
    const answers = await Promise.all(sent.map(({ c, k }) => heartbeat(h, c.credential, { nodeCount: k, appliedRevision: k })));
    answers.forEach((a, i) => {
      const { c } = sent[i]!;
      if (revoked.has(c.name)) return expect(a.status, c.name).toBe(401);
      expect(a.status, c.name).toBe(200);
      expect(a.body.desiredRevision, c.name).toBe(desired.get(c.name));
    });
    for (const c of clusters.filter((x) => !revoked.has(x.name))) {
      const seen = (await clusterOf(h, 'acme', c.name)).body.status;
      expect(seen.phase).toBe('Ready');
      expect([1, 2, 3, 4]).toContain(seen.nodeCount);
    }
    if (h.driver !== 'devworker') {
      // in-process the statements were shared (behind dev:worker each request writes alone)
      const after = heartbeatBatchStats(h.db);
      expect(after.rows - before.rows).toBe(sent.length);
      expect(after.batches - before.batches).toBeLessThan(sent.length / 2);
    }
  });

  it('what Postgres text cannot hold (U+0000) is refused with the field that holds it, before any batch', async () => {
    const c = await joinCluster(h, 'acme', 'hb-nul');
    const condition = { type: 'Synced', status: 'False', message: 'apply failed:\u0000', lastTransitionTime: new Date().toISOString() };
    const [bad, worse, fine] = await Promise.all([
      heartbeat(h, c.credential, { conditions: [condition] }),
      heartbeat(h, c.credential, { kubernetesVersion: 'v1.31\u0000' }),
      heartbeat(h, c.credential),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/conditions/0/message']);
    expect(worse.status).toBe(400);
    expect(worse.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/kubernetesVersion']);
    expect(fine.status).toBe(200);
  });
});
