import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPlacements } from '../../worker/domain/placement/lock.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { driverUnderTest } from '../support/database.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
});
afterAll(() => h?.close());

/**
 * A whole fleet back at once after an outage: each cluster's first heartbeat
 * changes its phase, and settling its apps takes the tenant's placement lock.
 * A cluster no app is placed on must not queue on it (the lock is held here
 * by another transaction, as one cluster's settling after another held it).
 */
describe.skipIf(driverUnderTest() !== 'pg')('a cluster coming back with no app placed on it', () => {
  it('is answered while the tenant\'s placement lock is held elsewhere', async () => {
    const edge = await joinCluster(h, 'acme', 'edge');
    expect((await heartbeat(h, edge.credential)).status).toBe(200);
    h.clock.advance(10 * 60_000); // silent long enough to be Offline: the next heartbeat changes its phase
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const held = new Promise<void>((r) => (release = r));
    const holder = h.db.transaction(async (tx) => {
      await lockPlacements(tx, t.uid);
      locked();
      await held;
    });
    await isLocked;
    try {
      const answer = await Promise.race([heartbeat(h, edge.credential), new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 3000))]);
      expect(answer).not.toBe('waiting');
      expect(answer !== 'waiting' && answer.status).toBe(200);
      const events = await h.call('GET', '/v1/tenants/acme/events', { token: h.adminToken });
      expect(events.body.items[0]).toMatchObject({ reason: 'ClusterPhaseChanged', object: 'edge', message: 'Offline → Ready' });
    } finally {
      release();
      await holder;
    }
  });
});
