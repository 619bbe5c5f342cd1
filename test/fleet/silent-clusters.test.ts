import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduledWork } from '../../worker/scheduled/run.js';
import { clusterOf, heartbeat, joinCluster } from '../support/fleet.js';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

/** The sweeper (scheduled work) writes a silent cluster's Unknown and Offline events when the time comes, each once. */
let h: Harness;
let acme: SeededTenant;
beforeAll(async () => ({ h, tenant: acme } = await harnessWithTenant('acme')));
afterAll(() => h.close());

const sweep = async () => {
  const run = await runScheduledWork(h.db, h.clock.now());
  if (run.skipped) throw new Error('the scheduled work was skipped');
  return run.jobs['silent-clusters'];
};
const history = async (name: string) =>
  (await h.call('GET', `/v1/tenants/acme/events?kind=Cluster&object=${name}`, { token: acme.tokens.viewer })).body.items
    .filter((e: { reason: string }) => e.reason === 'ClusterPhaseChanged')
    .map((e: { message: string; at: string }) => `${e.message} @${(Date.parse(e.at) - t0) / 1000}`)
    .reverse();
let t0 = 0;

describe('a cluster whose connector goes silent', () => {
  it('gets its Unknown event when 40 s have passed and Offline after 5 min, without a heartbeat, each once; the heartbeat that ends it adds only its own', async () => {
    const c = await joinCluster(h, 'acme', 'quiet');
    t0 = h.clock.now().getTime();
    await heartbeat(h, c.credential);

    h.clock.advance(40_000);
    expect(await sweep()).toBe(0); // exactly 40 s is still Ready
    h.clock.advance(1_000);
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    expect((await clusterOf(h, 'acme', 'quiet')).body.status.phase).toBe('Unknown');
    expect(await history('quiet')).toEqual(['Pending → Ready @0', 'Ready → Unknown @40']);

    h.clock.advance(5 * 60_000 - 41_000 + 1_000);
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    expect((await clusterOf(h, 'acme', 'quiet')).body.status.phase).toBe('Offline');

    h.clock.advance(60_000);
    expect((await heartbeat(h, c.credential)).status).toBe(200);
    expect(await sweep()).toBe(0);
    expect(await history('quiet')).toEqual(['Pending → Ready @0', 'Ready → Unknown @40', 'Unknown → Offline @300', 'Offline → Ready @361']);
  });

  it('a heartbeat after only the Unknown was swept writes the Offline it missed, dated when it happened, and nothing twice', async () => {
    const c = await joinCluster(h, 'acme', 'flaky');
    t0 = h.clock.now().getTime();
    await heartbeat(h, c.credential, { conditions: [{ type: 'Ready', status: 'False', reason: 'APIServerDown' }] });
    h.clock.advance(41_000); // (the first test's cluster is silent again too: the sweeps count both)
    await sweep();
    expect(await history('flaky')).toEqual(['Pending → NotReady @0', 'NotReady → Unknown @40']);
    h.clock.advance(5 * 60_000); // 341 s of silence: Offline at 300 s, not swept yet
    expect((await heartbeat(h, c.credential)).status).toBe(200);
    await sweep();
    expect(await history('flaky')).toEqual(['Pending → NotReady @0', 'NotReady → Unknown @40', 'Unknown → Offline @300', 'Offline → Ready @341']);
  });

  it("the apps of a silent cluster turn Unknown with it, each with its event, and back when it returns", async () => {
    const c = await joinCluster(h, 'acme', 'lonely', { solo: 'yes' });
    await publishWebTemplate(h, 'acme', acme.tokens.operator);
    expect((await putApp(h, 'acme', acme.tokens.operator, 'solo', appSpec({ placement: { clusters: ['lonely'] } }))).status).toBe(201);
    await heartbeat(h, c.credential);
    const resources = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'solo', health: 'Healthy' }];
    expect((await h.call('PUT', '/v1/connector/status', { token: c.credential, body: { seq: 1, revision: 0, apps: [{ name: 'solo', revision: 1, resources }] } })).status).toBe(204);
    const app = async () => (await h.call('GET', '/v1/tenants/acme/apps/solo', { token: acme.tokens.viewer })).body.status.phase;
    const appHistory = async () => (await h.call('GET', '/v1/tenants/acme/events?kind=App&object=solo', { token: acme.tokens.viewer })).body.items
      .map((e: { message: string }) => e.message).reverse();
    expect(await app()).toBe('Ready');
    h.clock.advance(41_000);
    await sweep();
    expect(await app()).toBe('Unknown');
    expect(await appHistory()).toEqual(['Progressing', 'Progressing → Ready', 'Ready → Unknown']);
    h.clock.advance(5 * 60_000);
    await sweep(); // Offline: still Unknown for the app, no second event
    expect(await appHistory()).toHaveLength(3);
    await heartbeat(h, c.credential);
    expect(await app()).toBe('Ready');
    expect(await appHistory()).toEqual(['Progressing', 'Progressing → Ready', 'Ready → Unknown', 'Unknown → Ready']);
  });

  it('a DriftRestored condition in a heartbeat becomes one event per restore', async () => {
    const c = await joinCluster(h, 'acme', 'drifty');
    const drift = (at: string, n: number) => ({ conditions: [
      { type: 'Ready', status: 'True', reason: 'APIServerReachable', message: '' },
      { type: 'DriftRestored', status: 'True', reason: 'DriftRestored', message: `Deployment/shop/web changed at /spec/replicas; restored (${n} since the connector started)`, lastTransitionTime: at },
    ] });
    await heartbeat(h, c.credential, drift('2026-12-03T10:00:00.000Z', 1));
    await heartbeat(h, c.credential, drift('2026-12-03T10:00:00.000Z', 1));
    await heartbeat(h, c.credential, drift('2026-12-03T10:00:05.000Z', 2));
    const items = (await h.call('GET', '/v1/tenants/acme/events?kind=Cluster&object=drifty', { token: acme.tokens.viewer })).body.items
      .filter((e: { reason: string }) => e.reason === 'DriftRestored');
    expect(items.map((e: { message: string; at: string }) => [e.at, e.message.slice(-31)])).toEqual([
      ['2026-12-03T10:00:05.000Z', 'restored (2 since the connector started)'.slice(-31)],
      ['2026-12-03T10:00:00.000Z', 'restored (1 since the connector started)'.slice(-31)],
    ]);
  });

  it('a cluster that never heartbeated stays Pending, with no silence events', async () => {
    await joinCluster(h, 'acme', 'fresh');
    h.clock.advance(10 * 60_000);
    await sweep();
    expect((await clusterOf(h, 'acme', 'fresh')).body.status.phase).toBe('Pending');
    expect(await history('fresh')).toEqual([]);
  });
});
