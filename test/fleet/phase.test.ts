import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../../db/schema/index.js';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';
import { clusterOf, heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seedTenant(h, 'acme');
});
afterAll(() => h.close());

const phase = async (name = 'p') => (await clusterOf(h, 'acme', name)).body.status.phase;
const listed = async (p: string) =>
  (await h.call('GET', `/v1/tenants/acme/clusters?phase=${p}`, { token: h.adminToken })).body.items.map((c: { metadata: { name: string } }) => c.metadata.name);

describe('cluster health, derived from heartbeats and the clock', () => {
  it('walks through every phase, in GET, list and ?phase=, and records each change as an event', async () => {
    await h.call('PUT', '/v1/tenants/acme/clusters/never', { token: h.adminToken, body: { spec: {} } });
    const c = await joinCluster(h, 'acme', 'p');
    expect(await phase()).toBe('Pending');
    expect(await listed('Pending')).toEqual(['never', 'p']);

    await heartbeat(h, c.credential);
    expect(await phase()).toBe('Ready');
    expect(await listed('Ready')).toEqual(['p']);

    await heartbeat(h, c.credential, { conditions: [{ type: 'Ready', status: 'False', reason: 'APIServerDown' }] });
    expect(await phase()).toBe('NotReady');
    expect(await listed('NotReady')).toEqual(['p']);

    await heartbeat(h, c.credential, { conditions: [{ type: 'Ready', status: 'True' }] });
    h.clock.advance(40_000);
    expect(await phase()).toBe('Ready'); // exactly 40 s of silence is still Ready
    h.clock.advance(1_000);
    const dark = await clusterOf(h, 'acme', 'p');
    expect(dark.body.status.phase).toBe('Unknown');
    expect(dark.body.status.conditions[0]).toMatchObject({ type: 'Ready', status: 'Unknown', reason: 'ConnectorSilent' });
    expect(await listed('Unknown')).toEqual(['p']);
    expect(await listed('Ready')).toEqual([]);

    h.clock.advance(5 * 60_000 - 41_000 + 1_000);
    expect(await phase()).toBe('Offline');
    expect(await listed('Offline')).toEqual(['p']);

    expect((await heartbeat(h, c.credential)).status).toBe(200);
    expect(await phase()).toBe('Ready');

    const log = await h.db.select().from(events).where(eq(events.objectName, 'p')).orderBy(asc(events.id));
    expect(log.map((e) => [e.reason, e.fromPhase, e.toPhase])).toEqual([
      ['Registered', null, 'Pending'],
      ['ClusterPhaseChanged', 'Pending', 'Ready'],
      ['ClusterPhaseChanged', 'Ready', 'NotReady'],
      ['ClusterPhaseChanged', 'NotReady', 'Ready'],
      ['ClusterPhaseChanged', 'Ready', 'Unknown'],
      ['ClusterPhaseChanged', 'Unknown', 'Offline'],
      ['ClusterPhaseChanged', 'Offline', 'Ready'],
    ]);
    // the silent transitions carry the moments the thresholds were crossed
    const [unknown, offline] = [log[4]!, log[5]!];
    expect(offline.at.getTime() - unknown.at.getTime()).toBe(5 * 60_000 - 40_000);
  });

  it('rejects an unknown ?phase=', async () => {
    const r = await h.call('GET', '/v1/tenants/acme/clusters?phase=Happy', { token: h.adminToken });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'query', pointer: '/phase' });
  });

  it('heartbeats change neither the resourceVersion nor the generation of the cluster', async () => {
    const c = await joinCluster(h, 'acme', 'quiet');
    const before = await clusterOf(h, 'acme', 'quiet');
    for (let i = 0; i < 3; i++) await heartbeat(h, c.credential);
    const after = await clusterOf(h, 'acme', 'quiet');
    expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
    expect(after.body.status.lastHeartbeatAt).not.toBe(before.body.status.lastHeartbeatAt);
  });
});
