import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openNeon, useLocalWsProxy } from '../../db/neon.js';
import { heartbeatWriterName } from '../../worker/heartbeats/durable-heartbeats.js';
import { HeartbeatWriter } from '../../worker/heartbeats/heartbeat-writer-do.js';
import type { DurableObjectNamespace } from '../../worker/push/workers-types.js';
import { buildWorkerApp } from '../../worker/worker-app.js';
import { call, callApp, joinCluster } from './call.js';
import { unreachableObjects } from '../support/fake-objects.js';

/**
 * Heartbeats on Workers go through the cluster's HeartbeatWriter Durable
 * Object, which batches them on connections it keeps; a revoked credential is
 * refused there as anywhere; and an object that fails does not fail the
 * heartbeat: the isolate writes it itself.
 */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const writers = env.HEARTBEAT_WRITER as DurableObjectNamespace;
const FACTS = { kubernetesVersion: 'v1.31.0', nodeCount: 3 };
const tenant = `hb-${Date.now().toString(36)}`;

const writerOf = (uid: string) => writers.get(writers.idFromName(heartbeatWriterName(uid)));
const rowsWritten = (uid: string) => runInDurableObject<HeartbeatWriter, number>(writerOf(uid) as never, (w) => w.written.rows);

useLocalWsProxy(String(env.FLEETPLANE_NEON_WS_PROXY));
// holds a cluster's row, as a long transaction elsewhere would
const locker = openNeon(String(env.DATABASE_URL), 1);
afterAll(() => locker.pool.end());

beforeAll(async () => {
  expect((await call('PUT', `/v1/tenants/${tenant}`, adminToken, { spec: { displayName: 'Heartbeats' } })).status).toBe(201);
});

describe('heartbeats in HeartbeatWriter Durable Objects', () => {
  it('writes each heartbeat in the cluster’s object, which answers with its row; the cluster turns Ready', async () => {
    const c = await joinCluster(tenant, 'edge-1', {}, FACTS);
    const before = await rowsWritten(c.uid);
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/connector/heartbeat', c.credential, FACTS)));
    for (const a of answers) {
      expect(a.status, a.text).toBe(200);
      expect(a.json.desiredRevision).toEqual(expect.any(Number));
    }
    expect(await rowsWritten(c.uid)).toBe(before + 3);
    const got = await call('GET', c.path, adminToken);
    expect(got.json.status.phase).toBe('Ready');
  });

  it('refuses a revoked credential at once, through the object', async () => {
    const c = await joinCluster(tenant, 'edge-2', {}, FACTS);
    expect((await call('POST', '/v1/connector/heartbeat', c.credential, FACTS)).status).toBe(200);
    const revoked = await call('POST', `${c.path}/revoke`, adminToken, {});
    expect(revoked.status, revoked.text).toBeLessThan(300);
    const before = await rowsWritten(c.uid);
    const refused = await call('POST', '/v1/connector/heartbeat', c.credential, FACTS);
    expect(refused.status, refused.text).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // refused by the batch statement in the object (its generation no longer matches), not before it
    expect(await runInDurableObject<HeartbeatWriter, number>(writerOf(c.uid) as never, (w) => w.written.batches)).toBeGreaterThan(0);
    expect(await rowsWritten(c.uid)).toBe(before + 1);
  });

  it('writes the heartbeat in the isolate when the object fails, logs that once, and leaves the object alone for a while', async () => {
    const c = await joinCluster(tenant, 'edge-3', {}, FACTS);
    const { ns: broken, tries } = unreachableObjects();
    const app = await buildWorkerApp({ ...env, HEARTBEAT_WRITER: broken });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const before = await rowsWritten(c.uid);
      for (let i = 0; i < 2; i++) {
        const res = await callApp(app, 'POST', '/v1/connector/heartbeat', c.credential, FACTS);
        expect(res.status, res.text).toBe(200);
      }
      expect(await rowsWritten(c.uid)).toBe(before);
      expect(errors.mock.calls.filter((a) => String(a[0]).includes('HeartbeatWriter'))).toHaveLength(1);
      expect(tries.asked, 'the second heartbeat, within seconds of the failure, does not ask the object again').toBe(1);
    } finally {
      errors.mockRestore();
    }
    const got = await call('GET', c.path, adminToken);
    expect(got.json.status.phase).toBe('Ready');
  });

  it('answers 503 "did not answer within its time limit" when the object’s statement went past it, and asks the object again next time', async () => {
    const c = await joinCluster(tenant, 'edge-4', {}, FACTS);
    const limited = { ...env, FLEETPLANE_QUERY_TIMEOUT_MS: '300' };
    // an object of its own with a short limit (the bound ones share the test's env), reached as the binding would be
    const object = new HeartbeatWriter({} as never, limited);
    let asked = 0;
    const ns: DurableObjectNamespace = { idFromName: (n) => n, get: () => ({ fetch: (url, init) => (asked++, object.fetch(new Request(url, init))) }) };
    const app = await buildWorkerApp({ ...limited, HEARTBEAT_WRITER: ns });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const lock = await locker.pool.connect();
    try {
      await lock.query('begin');
      await lock.query('select 1 from cluster_agents where cluster_uid = $1 for update', [c.uid]);
      const started = Date.now();
      const held = await callApp(app, 'POST', '/v1/connector/heartbeat', c.credential, FACTS);
      const took = Date.now() - started;
      expect(held.status, held.text).toBe(503);
      expect(held.json.detail).toMatch(/did not answer within its time limit/);
      expect(held.headers.get('retry-after')).toBe('5');
      // the driver's limit (300 ms and its 2 s grace; Neon's pooler takes no statement_timeout), not the isolate's wait on the object
      expect(took).toBeGreaterThanOrEqual(2_200);
      expect(took).toBeLessThan(8_000);
      await lock.query('rollback');
      const next = await callApp(app, 'POST', '/v1/connector/heartbeat', c.credential, FACTS);
      expect(next.status, next.text).toBe(200);
      expect(asked, 'the object was not taken for failed').toBe(2);
      expect(errors.mock.calls.filter((a) => String(a[0]).includes('HeartbeatWriter'))).toHaveLength(0);
      expect(object.written.rows).toBe(1);
    } finally {
      lock.release();
      errors.mockRestore();
    }
  });
});
