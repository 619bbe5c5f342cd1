import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduledWork } from '../../worker/scheduled/run.js';
import { clusterOf, heartbeat, joinCluster } from '../support/fleet.js';
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

  it('a cluster that never heartbeated stays Pending, with no silence events', async () => {
    await joinCluster(h, 'acme', 'fresh');
    h.clock.advance(10 * 60_000);
    await sweep();
    expect((await clusterOf(h, 'acme', 'fresh')).body.status.phase).toBe('Pending');
    expect(await history('fresh')).toEqual([]);
  });
});
