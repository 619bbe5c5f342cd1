/**
 * Model-based concurrency: random batches of writes (cluster PUT/DELETE with
 * and without preconditions, relabels, app PUT/DELETE, rollbacks) fired at
 * once, then the server's state held against a model: no acknowledged write
 * lost, placements equal to what the selectors say once writes settle,
 * revisions and resource versions only growing, and never a 5xx. On PGlite
 * and on the real Postgres (where transactions truly interleave).
 * MODEL_SEED and MODEL_RUNS change the seed and the number of runs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { publishWebTemplate } from '../support/apps.js';
import { APPS, batches, CLUSTERS, type Command } from './commands.js';
import { allowedOutcomes, emptyModel, selected, type AppContent, type ClusterContent, type Known, type Model } from './model.js';

const SEED = Number(process.env.MODEL_SEED ?? 1207);
const RUNS = Number(process.env.MODEL_RUNS ?? 15);
let h: Harness;
let runs = 0;
let commands = 0;
beforeAll(async () => { h = await startHarness(); }, 60_000);
afterAll(() => h?.close());

const etag = (rv: number) => `"${rv}"`;
const rvOf = (body: { metadata?: { resourceVersion?: string } }) => Number(body?.metadata?.resourceVersion);

function request(base: string, model: Model, c: Command) {
  const token = h.adminToken;
  const headers = (known: Known<unknown> | undefined, pre: string): Record<string, string> =>
    pre === 'current' && known ? { 'if-match': etag(known.rv) } : pre === 'stale' ? { 'if-match': etag(1) } : pre === 'absent' ? { 'if-none-match': '*' } : {};
  switch (c.kind) {
    case 'putCluster':
      return h.call('PUT', `${base}/clusters/${c.name}`, { token, headers: headers(model.clusters.get(c.name), c.pre), body: { metadata: { labels: { env: c.env, region: c.region } }, spec: {} } });
    case 'deleteCluster':
      return h.call('DELETE', `${base}/clusters/${c.name}`, { token });
    case 'putApp': {
      const spec = { template: { name: 'web', version: '1.0.0' }, namespace: 'shop', values: { replicas: c.replicas }, placement: c.placement };
      return h.call('PUT', `${base}/apps/${c.name}`, { token, headers: headers(model.apps.get(c.name), c.pre), body: { spec } });
    }
    case 'deleteApp':
      return h.call('DELETE', `${base}/apps/${c.name}`, { token });
    case 'rollback':
      return h.call('POST', `${base}/apps/${c.name}/rollback`, { token, body: { revision: c.revision } });
  }
}

const clusterContent = (b: any): ClusterContent => ({ labels: b.metadata.labels });
const appContent = (b: any): AppContent => ({ placement: b.spec.placement, replicas: b.spec.values.replicas });

/** Fires one batch at once, then reads everything back and checks it against the model, which it then advances. */
async function runBatch(base: string, model: Model, batch: Command[]) {
  const answers = await Promise.all(batch.map((c) => request(base, model, c)));
  commands += batch.length;
  answers.forEach((a, k) => {
    expect(a.status, `${JSON.stringify(batch[k])} → ${JSON.stringify(a.body)}`).toBeLessThan(500);
    const c = batch[k]!;
    // a stale tag never writes (404 when the resource is gone, 412 otherwise)
    if ('pre' in c && c.pre === 'stale') expect([404, 412]).toContain(a.status);
  });
  const acked = <T>(kind: 'Cluster' | 'App', name: string, content: (b: any) => T) => {
    const puts: Known<T>[] = [];
    let deleted = false;
    batch.forEach((c, k) => {
      const a = answers[k]!;
      if (c.name !== name || (kind === 'Cluster') !== c.kind.endsWith('Cluster')) return;
      if ((c.kind === 'deleteCluster' || c.kind === 'deleteApp') && a.status === 204) deleted = true;
      else if (a.status === 200 || a.status === 201) puts.push({ content: content(a.body), rv: rvOf(a.body) });
    });
    return { puts, deleted };
  };

  for (const name of CLUSTERS) {
    const { puts, deleted } = acked('Cluster', name, clusterContent);
    const got = await h.call('GET', `${base}/clusters/${name}`, { token: h.adminToken });
    expect([200, 404]).toContain(got.status);
    const now = got.status === 200 ? { content: clusterContent(got.body), rv: rvOf(got.body) } : undefined;
    expect(allowedOutcomes(model.clusters.get(name), puts, deleted), `cluster ${name} after ${JSON.stringify(batch)}`).toContainEqual(now);
    if (now) {
      const before = model.clusters.get(name);
      if (before) expect(now.rv).toBeGreaterThanOrEqual(before.rv);
      const uid = got.body.metadata.uid as string;
      const desired = got.body.status.desiredRevision as number;
      expect(desired, `desiredRevision of ${name}`).toBeGreaterThanOrEqual(model.desired.get(uid) ?? 0);
      model.desired.set(uid, desired);
      model.clusters.set(name, now);
    } else model.clusters.delete(name);
  }

  for (const name of APPS) {
    const { puts, deleted } = acked('App', name, appContent);
    const got = await h.call('GET', `${base}/apps/${name}`, { token: h.adminToken });
    expect([200, 404]).toContain(got.status);
    const before = model.apps.get(name);
    const now = got.status === 200 ? { content: appContent(got.body), rv: rvOf(got.body) } : undefined;
    const strip = (k: Known<AppContent> | undefined) => k && { content: k.content, rv: k.rv };
    expect(allowedOutcomes(strip(before), puts, deleted), `app ${name} after ${JSON.stringify(batch)}`).toContainEqual(now);
    if (!now) {
      model.apps.delete(name);
      continue;
    }
    // once writes settle, an app is placed exactly where its placement says, over the clusters as they are now
    const placed = (got.body.status.clusters as { name: string }[]).map((c) => c.name).sort();
    expect(placed, `placements of ${name}: ${JSON.stringify(now.content.placement)}`).toEqual(selected(model, now.content.placement));
    expect(got.body.status.summary.clusters).toBe(placed.length);
    // revisions count 1, 2, 3… without gaps; generation grows only with the spec
    const revs = await h.call('GET', `${base}/apps/${name}/revisions?limit=500`, { token: h.adminToken });
    const numbers = (revs.body.items as { revision: number }[]).map((r) => r.revision).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, k) => k + 1));
    const recreated = !before || deleted;
    if (!recreated) {
      expect(now.rv).toBeGreaterThanOrEqual(before.rv);
      expect(numbers.length).toBeGreaterThanOrEqual(before.revisions);
      expect(got.body.metadata.generation).toBeGreaterThanOrEqual(before.generation);
      // A→B→A inside one batch moves generation twice and ends on the same spec, so only a batch
      // whose every acknowledged write left the spec as it was must leave generation alone
      const same = (c: AppContent) => JSON.stringify(c) === JSON.stringify(before.content);
      if (same(now.content) && puts.every((p) => same(p.content))) expect(got.body.metadata.generation).toBe(before.generation);
    }
    model.apps.set(name, { ...now, revisions: numbers.length, generation: got.body.metadata.generation });
  }
}

describe(`concurrent writes against a model (seed ${SEED}, ${RUNS} runs)`, () => {
  it('no lost update, placements follow the selectors, revisions only grow, no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(batches(8), async (bs) => {
        const tenant = `m${runs++}`;
        const base = `/v1/tenants/${tenant}`;
        expect((await h.call('PUT', base, { token: h.adminToken, body: { spec: { displayName: 'model' } } })).status).toBe(201);
        await publishWebTemplate(h, tenant, h.adminToken);
        const model = emptyModel();
        for (const batch of bs) await runBatch(base, model, batch);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`model: ${runs} runs, ${commands} concurrent commands (driver ${h.driver})`);
  }, 120_000);
});
