import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openPglite } from '../../db/pglite.js';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer, type RunningServer } from '../../worker/node/server.js';
import { testClock } from '../support/clock.js';
import { driverUnderTest } from '../support/database.js';
import { joinCluster } from '../support/fleet.js';
import { caller, testHosts, type Harness } from '../support/harness.js';
import { createMigratedDatabase } from '../support/postgres.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { createWebhook, deliveriesOf } from './support.js';

/**
 * The Node server as it runs (`npm start`): its sender stopped and started
 * again on the same database in the middle of a retry schedule, and two
 * replicas on one Postgres sending from one outbox.
 */

const ADMIN = `fp_${'w'.repeat(43)}`;
/** Each test's own clock: a signature's timestamp must stay within minutes of the receiver's time. */
let clock = testClock();
const { hosts, resolve } = testHosts();
let dir: string;
let database: { url: string; drop: () => Promise<void> } | undefined;
let receiver: Receiver;
const log = vi.spyOn(console, 'log').mockImplementation(() => {});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-webhooks-'));
  if (driverUnderTest() === 'pg') database = await createMigratedDatabase();
  else {
    // the embedded database, made from the migrated snapshot (a first start would take seconds to create and migrate it)
    const pg = await openPglite(join(dir, 'pgdata'), new Blob([await readFile(inject('pgliteSnapshot'))]));
    await pg.client.close();
  }
  receiver = await startReceiver();
  hosts.set('hooks.replicas.test', ['127.0.0.1']);
});
afterAll(async () => {
  log.mockRestore();
  await receiver.close();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A replica on the driver under test (the embedded PGlite in `dir`, or the real Postgres), on the test clock. */
const startReplica = () => startNodeServer(
  parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true', DATABASE_URL: database?.url }),
  '127.0.0.1', { now: () => clock.now(), webhooks: { resolve } },
);
/** What the fleet helpers need of a harness: calls to this replica, as the platform admin. */
const through = (s: RunningServer) => ({ call: caller((path, init) => fetch(`${s.url}${path}`, init)), adminToken: ADMIN }) as unknown as Harness;

const byId = () => {
  const counts = new Map<string, number>();
  for (const r of receiver.received) counts.set(r.headers['webhook-id']!, (counts.get(r.headers['webhook-id']!) ?? 0) + 1);
  return counts;
};

describe('webhook deliveries across restarts and replicas', () => {
  it('a restart in the middle of a retry schedule: the delivery still arrives, once, with its id', async () => {
    clock = testClock();
    const first = await startReplica();
    const api = through(first);
    expect((await api.call('PUT', '/v1/tenants/acme', { token: ADMIN, body: { spec: { displayName: 'Acme' } } })).status).toBe(201);
    await createWebhook(api.call, ADMIN, 'acme', 'ops', { url: `http://hooks.replicas.test:${receiver.port}/ops` }, receiver);
    receiver.answer(500);
    await joinCluster(api, 'acme', 'edge');
    await first.deliveries.settled();
    expect(receiver.received).toHaveLength(1);
    await first.close();

    clock.advance(1_000);
    const second = await startReplica(); // sends what became due meanwhile, as it starts
    try {
      await receiver.count(2);
      await second.deliveries.settled();
      clock.advance(3_600_000);
      second.deliveries.wake();
      await second.deliveries.settled();
      expect(receiver.received).toHaveLength(2);
      expect(receiver.failures).toEqual([]);
      const [id] = byId().keys();
      expect([...byId()]).toEqual([[id, 2]]);
      const shown = await deliveriesOf(through(second).call, ADMIN, 'acme', 'ops');
      expect(shown.map((d) => [d.id, d.attempt, d.statusCode])).toEqual([[id, 2, 204], [id, 1, 500]]);
    } finally {
      await second.close();
    }
  });

  // PGlite is one process's database: replicas need the real Postgres
  it.runIf(driverUnderTest() === 'pg')('two replicas on one Postgres send each delivery once, retries included', async () => {
    receiver.received.length = 0;
    clock = testClock();
    const [a, b] = await Promise.all([startReplica(), startReplica()]);
    try {
      const [viaA, viaB] = [through(a), through(b)];
      expect((await viaA.call('PUT', '/v1/tenants/globex', { token: ADMIN, body: { spec: { displayName: 'Globex' } } })).status).toBe(201);
      await createWebhook(viaB.call, ADMIN, 'globex', 'ops', { url: `http://hooks.replicas.test:${receiver.port}/globex` }, receiver);
      receiver.answer(...Array<number>(8).fill(500));
      // registrations through both, so that both replicas are woken, and both wake again and again
      await Promise.all([0, 1, 2, 3].map((i) => joinCluster(i % 2 ? viaB : viaA, 'globex', `edge-${i}`)));
      await Promise.all([0, 1, 2, 3].map((i) => joinCluster(i % 2 ? viaA : viaB, 'globex', `core-${i}`)));
      for (let i = 0; i < 5; i++) [a, b].forEach((s) => s.deliveries.wake());
      await Promise.all([a.deliveries.settled(), b.deliveries.settled()]);
      expect(receiver.received).toHaveLength(8);

      clock.advance(1_000);
      for (let i = 0; i < 5; i++) [a, b].forEach((s) => s.deliveries.wake());
      await receiver.count(16);
      await Promise.all([a.deliveries.settled(), b.deliveries.settled()]);
      expect(receiver.received).toHaveLength(16);
      expect(receiver.failures).toEqual([]);
      expect([...byId().values()]).toEqual(Array(8).fill(2));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
