import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduledWork } from '../../worker/scheduled/run.js';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

/**
 * Progressive rollout through the API alone: simulated connectors report
 * status, the test reads what each cluster is served. (test/connector/
 * rollout.test.ts runs the same story with real connectors.)
 */
let h: Harness;
let t: SeededTenant;
const clusters: Record<string, { uid: string; credential: string }> = {};
const seq: Record<string, number> = {};
const RINGS: Record<string, string | undefined> = { c1: 'canary', c2: 'early', c3: 'early', c4: undefined, c5: undefined };
const waves = [{ matchLabels: { ring: 'canary' } }, { matchLabels: { ring: 'early' } }];

beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  for (const [name, ring] of Object.entries(RINGS)) {
    clusters[name] = await joinCluster(h, 'acme', name, { env: 'prod', ...(ring ? { ring } : {}) });
    seq[name] = 0;
  }
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const spec = (replicas: number, rollout: Record<string, unknown> = {}) =>
  appSpec({ values: { replicas }, rollout: { strategy: 'Progressive', waves, ...rollout } });

/** The app revision each cluster is served (undefined: none). */
async function served(app = 'shop') {
  const out: Record<string, number | undefined> = {};
  for (const [name, c] of Object.entries(clusters)) out[name] = (await desiredOf(h, c.credential)).apps.find((a) => a.name === app)?.revision;
  return out;
}

/** A connector's report: every resource of the app at `revision` with this health. */
async function report(name: string, revision: number, health = 'Healthy', app = 'shop') {
  const c = clusters[name]!;
  await heartbeat(h, c.credential);
  const resources = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: app, health, ...(health === 'Degraded' ? { message: 'ImagePullBackOff' } : {}) }];
  const r = await h.call('PUT', '/v1/connector/status', { token: c.credential, body: { seq: ++seq[name]!, revision: 0, apps: [{ name: app, revision, resources }] } });
  expect(r.status).toBe(204);
}
const reportAll = async (names: string[], revision: number, health = 'Healthy', app = 'shop') => {
  for (const n of names) await report(n, revision, health, app);
};
const get = async (app = 'shop') => (await h.call('GET', `/v1/tenants/acme/apps/${app}`, { token: t.tokens.viewer })).body;
const events = async (app = 'shop') =>
  (await h.call('GET', `/v1/tenants/acme/events?kind=App&object=${app}&limit=200`, { token: t.tokens.viewer })).body.items
    .map((e: { reason: string; message: string }) => `${e.reason}: ${e.message}`).reverse();

describe('a progressive rollout in three waves', () => {
  it('serves only the canary first, then each wave when the one before it is Ready, released by the report that makes it so', async () => {
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec(1))).status).toBe(201);
    expect(await served()).toEqual({ c1: 1, c2: undefined, c3: undefined, c4: undefined, c5: undefined });
    let a = await get();
    expect(a.status.rollout).toEqual({ generation: 1, wave: 1, waves: 3, state: 'Progressing', message: 'wave 1 of 3: 0 of 1 clusters Ready' });
    expect(a.status.phase).toBe('Progressing');

    await report('c1', 1, 'Progressing');
    expect((await served()).c2).toBeUndefined();
    await report('c1', 1, 'Healthy'); // this report's own request released wave 2
    expect(await served()).toEqual({ c1: 1, c2: 1, c3: 1, c4: undefined, c5: undefined });
    const items = (await h.call('GET', '/v1/tenants/acme/apps/shop/clusters', { token: t.tokens.viewer })).body.items;
    expect(items.map((i: { name: string; wave: number; phase: string }) => [i.name, i.wave, i.phase])).toEqual([
      ['c1', 1, 'Ready'], ['c2', 2, 'Pending'], ['c3', 2, 'Pending'], ['c4', 3, 'Pending'], ['c5', 3, 'Pending'],
    ]);
    await reportAll(['c2', 'c3'], 1);
    expect(await served()).toEqual({ c1: 1, c2: 1, c3: 1, c4: 1, c5: 1 });
    await reportAll(['c4', 'c5'], 1);
    a = await get();
    expect(a.status.rollout).toMatchObject({ generation: 1, wave: 4, waves: 3, state: 'Complete' });
    expect(a.status.phase).toBe('Ready');
    expect(await events()).toEqual([
      'RolloutWaveStarted: generation 1: wave 1 of 3 started: c1',
      'AppPhaseChanged: Progressing',
      'RolloutWaveStarted: wave 2 of 3 started: c2, c3',
      'RolloutWaveStarted: wave 3 of 3 started: c4, c5',
      'RolloutCompleted: rollout complete: 5 clusters in 3 waves',
      'AppPhaseChanged: Progressing → Ready',
    ]);
  });

  it('a new generation starts again at wave 1; the other clusters keep the content they had', async () => {
    const before = (await desiredOf(h, clusters.c4!.credential)).objects;
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec(2))).status).toBe(200);
    expect(await served()).toEqual({ c1: 2, c2: 1, c3: 1, c4: 1, c5: 1 });
    expect((await desiredOf(h, clusters.c4!.credential)).objects).toEqual(before);
    const a = await get();
    expect(a.status.rollout).toMatchObject({ generation: 2, wave: 1, state: 'Progressing' });
    expect(a.status.clusters.find((c: { name: string }) => c.name === 'c4')).toMatchObject({ phase: 'Pending', message: 'revision 2 waits for its rollout wave' });
    await reportAll(['c1'], 2);
    await reportAll(['c2', 'c3'], 2);
    await reportAll(['c4', 'c5'], 2);
    expect((await get()).status).toMatchObject({ phase: 'Ready', rollout: { state: 'Complete', generation: 2 } });
  });

  it('a failing canary pauses the rollout with pauseOnFailure; the others stay on the old content; resume goes on with the next wave', async () => {
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec(3, { pauseOnFailure: true }))).status).toBe(200);
    await report('c1', 3, 'Degraded');
    let a = await get();
    expect(a.status.phase).toBe('Paused');
    expect(a.status.rollout).toMatchObject({ wave: 1, state: 'Paused', message: 'wave 1 paused: c1 failed' });
    expect(await served()).toEqual({ c1: 3, c2: 2, c3: 2, c4: 2, c5: 2 });
    const operatorOnly = await h.call('POST', '/v1/tenants/acme/apps/shop/resume', { token: t.tokens.viewer });
    expect(operatorOnly.status).toBe(403);
    const resumed = await h.call('POST', '/v1/tenants/acme/apps/shop/resume', { token: t.tokens.operator });
    expect(resumed.status).toBe(200);
    expect(resumed.body.status.rollout).toMatchObject({ wave: 2, state: 'Progressing' });
    expect(await served()).toEqual({ c1: 3, c2: 3, c3: 3, c4: 2, c5: 2 });
    const again = await h.call('POST', '/v1/tenants/acme/apps/shop/resume', { token: t.tokens.operator });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('not_paused');
    expect((await events()).slice(-5)).toEqual([
      'RolloutPaused: wave 1 paused: c1 failed',
      'AppPhaseChanged: Progressing → Paused',
      'RolloutResumed: resumed after wave 1',
      'RolloutWaveStarted: wave 2 of 3 started: c2, c3',
      'AppPhaseChanged: Paused → Failed', // c1 is still Degraded
    ]);
  });

  it('rollback starts again at wave 1', async () => {
    const r = await h.call('POST', '/v1/tenants/acme/apps/shop/rollback', { token: t.tokens.operator, body: { revision: 2 } });
    expect(r.status).toBe(200);
    expect(r.body.status.rollout).toMatchObject({ generation: 4, wave: 1, state: 'Progressing' });
    // revision 4 (the spec of 2) goes to the canary; clusters of wave 2 keep 3, wave 3 keeps 2
    expect(await served()).toEqual({ c1: 4, c2: 3, c3: 3, c4: 2, c5: 2 });
  });
});

describe('deadlines, limits and clusters that move', () => {
  const two = async (name: string, rollout: Record<string, unknown>) => {
    expect((await putApp(h, 'acme', t.tokens.operator, name, appSpec({ rollout: { strategy: 'Progressive', ...rollout } }))).status).toBe(201);
  };

  it('a cluster not Ready within progressDeadlineSeconds turns Failed when the time passes, and pauses the rollout', async () => {
    await two('slow', { waves, pauseOnFailure: true, progressDeadlineSeconds: 60 });
    await report('c1', 1, 'Progressing', 'slow');
    h.clock.advance(61_000);
    for (const n of Object.keys(clusters)) await heartbeat(h, clusters[n]!.credential); // in contact, only slow
    const run = await runScheduledWork(h.db, h.clock.now());
    expect(run).toMatchObject({ skipped: false, jobs: { rollouts: expect.any(Number) } });
    const a = await get('slow');
    expect(a.status.phase).toBe('Paused');
    expect(a.status.clusters.find((c: { name: string }) => c.name === 'c1')).toMatchObject({ phase: 'Failed', message: 'not Ready within the progress deadline (60 s)' });
    expect(a.status.rollout.message).toBe('wave 1 paused: c1 failed: not Ready within the progress deadline (60 s)');
  });

  it('maxUnavailable updates that many clusters of a wave at a time', async () => {
    await two('paced', { maxUnavailable: 2 }); // no waves: every cluster in one wave
    let s = await served('paced');
    expect(Object.values(s).filter((r) => r === 1)).toHaveLength(2);
    expect(s).toMatchObject({ c1: 1, c2: 1 });
    await report('c1', 1, 'Healthy', 'paced');
    s = await served('paced');
    expect(s).toMatchObject({ c1: 1, c2: 1, c3: 1, c4: undefined });
    await reportAll(['c2', 'c3'], 1, 'Healthy', 'paced');
    expect(await served('paced')).toEqual({ c1: 1, c2: 1, c3: 1, c4: 1, c5: 1 });
  });

  it('a failed cluster without pauseOnFailure does not hold the rollout back', async () => {
    await two('onward', { waves });
    await report('c1', 1, 'Degraded', 'onward');
    expect((await served('onward')).c2).toBe(1);
    expect((await get('onward')).status.phase).toBe('Failed');
  });

  it('a cluster that joins or is relabelled mid-rollout belongs to the wave that selects it now; deleting the app removes it everywhere', async () => {
    await two('moving', { waves });
    clusters.c6 = await joinCluster(h, 'acme', 'c6', { env: 'prod', ring: 'canary' });
    seq.c6 = 0;
    expect((await served('moving')).c6).toBe(1); // wave 1 is current: released at once
    await reportAll(['c1', 'c6'], 1, 'Healthy', 'moving');
    expect(await served('moving')).toMatchObject({ c2: 1, c3: 1, c4: undefined });
    // c4 moves from the last wave into wave 2 (current): it gets the content now
    const put = await h.call('PUT', '/v1/tenants/acme/clusters/c4', { token: h.adminToken, body: { metadata: { labels: { env: 'prod', ring: 'early' } }, spec: {} } });
    expect(put.status).toBe(200);
    expect((await served('moving')).c4).toBe(1);
    // deleting a cluster of the current wave lets the wave finish without it
    await reportAll(['c2', 'c4'], 1, 'Healthy', 'moving');
    expect((await served('moving')).c5).toBeUndefined();
    expect((await h.call('DELETE', '/v1/tenants/acme/clusters/c3', { token: h.adminToken })).status).toBe(204);
    delete clusters.c3;
    expect((await served('moving')).c5).toBe(1);
    expect((await h.call('DELETE', '/v1/tenants/acme/apps/moving', { token: t.tokens.operator })).status).toBe(204);
    expect(Object.values(await served('moving')).every((r) => r === undefined)).toBe(true);
  });

  it('a progressive spec without strategy Progressive is refused, naming each field', async () => {
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({ rollout: { strategy: 'All', waves, pauseOnFailure: true } }));
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/spec/rollout/waves', '/spec/rollout/pauseOnFailure']);
  });
});
