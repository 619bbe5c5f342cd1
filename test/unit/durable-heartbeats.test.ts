import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.js';
import type { HeartbeatWrite } from '../../worker/domain/connector/heartbeat-batch.js';
import { durableHeartbeats, heartbeatWriterName, HEARTBEAT_SHARDS } from '../../worker/heartbeats/durable-heartbeats.js';
import { objectWaitMs, serveWrite } from '../../worker/lib/durable-writer.js';
import { ApiError } from '../../worker/lib/problem.js';
import { recordingObjects as objects } from '../support/fake-objects.js';

const write = (clusterUid: string): HeartbeatWrite => ({
  clusterUid, generation: 1, at: new Date('2026-12-04T00:00:00Z'), ready: true, kubernetesVersion: 'v1.31.0', nodeCount: 3,
  appliedRevision: undefined, conditions: [], carriesDrift: false,
});

/** A database handle the isolate's own write would use: this one fails loudly if it is touched. */
const untouched = new Proxy({}, { get: () => { throw new Error('the isolate wrote the heartbeat itself'); } }) as Db;

describe('durableHeartbeats (the isolate’s side)', () => {
  it('spreads clusters over the shards by uid, the same cluster always to the same object', () => {
    const uids = Array.from({ length: 64 }, (_, i) => `${(i * 0x01000001).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const names = new Set(uids.map(heartbeatWriterName));
    expect(names.size).toBe(HEARTBEAT_SHARDS);
    expect(heartbeatWriterName(uids[5]!)).toBe(heartbeatWriterName(uids[5]!));
  });

  it('sends the heartbeat to its object and answers with the object’s row; null (a revoked credential) is undefined', async () => {
    let row: unknown = { cluster_uid: 'c', desired_revision: '7', name: 'edge', tenant_id: 't', prev_at: null, prev_ready: false, prev_recorded: null, prev_drift: null };
    const { ns, asked } = objects(() => Response.json(row));
    const writeVia = durableHeartbeats(ns, { queryTimeoutMs: 10_000 });
    const uid = '0badcafe-0000-4000-8000-000000000000';
    expect(await writeVia(untouched, write(uid))).toMatchObject({ desired_revision: '7', name: 'edge' });
    expect(asked).toEqual([{ name: heartbeatWriterName(uid), body: { ...write(uid), at: '2026-12-04T00:00:00.000Z' } }]);
    row = null;
    expect(await writeVia(untouched, write(uid))).toBeUndefined();
  });

  it('answers 503 when the object could not reach the database, without writing it again, and asks the object next time', async () => {
    const { ns, asked } = objects(() => new Response('connection terminated', { status: 503 }));
    const writeVia = durableHeartbeats(ns, { queryTimeoutMs: 10_000 });
    for (let i = 0; i < 2; i++) {
      const err = await writeVia(untouched, write('00000001-0000-4000-8000-000000000000')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 503, code: 'unavailable' });
    }
    expect(asked).toHaveLength(2);
  });

  it('answers 503 for the reason the object gives: a statement past its time limit, or a database out of reach', async () => {
    const { ns } = objects(() => Response.json({ failure: 'timeout', detail: 'Query read timeout' }, { status: 503 }));
    const err = await durableHeartbeats(ns, { queryTimeoutMs: 10_000 })(untouched, write('00000003-0000-4000-8000-000000000000')).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, code: 'unavailable', message: expect.stringMatching(/did not answer within its time limit/) });
    // what an object of an earlier build answers: text, no reason
    const older = objects(() => new Response('connection terminated', { status: 503 }));
    const before = await durableHeartbeats(older.ns, { queryTimeoutMs: 10_000 })(untouched, write('00000003-0000-4000-8000-000000000000')).catch((e: unknown) => e);
    expect(before).toMatchObject({ status: 503, message: expect.stringMatching(/cannot be reached/) });
  });

  it('waits for the object longer than its write can wait on the database', () => {
    // a connection (5 s), then a statement the driver gives up on 2 s past the limit
    expect(objectWaitMs(10_000)).toBe(18_000);
    expect(objectWaitMs(500)).toBe(8_500);
    expect(objectWaitMs(0), 'no limit on statements: the earlier fixed wait').toBe(8_000);
  });

  it('writes in the isolate when the object fails, for 5 s, then asks the object again', async () => {
    let t = 0;
    const { ns, asked } = objects(() => new Response('boom', { status: 500 }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const writeVia = durableHeartbeats(ns, { queryTimeoutMs: 10_000, now: () => t });
    try {
      const fallback = { batches: 0 };
      // the isolate's own write goes to this handle: a fake whose statement fails in a way that shows it was tried
      const own = new Proxy({}, { get: () => { fallback.batches++; throw new Error('own write'); } }) as Db;
      await expect(writeVia(own, write('00000002-0000-4000-8000-000000000000'))).rejects.toThrow('own write');
      t = 4_000;
      await expect(writeVia(own, write('00000002-0000-4000-8000-000000000000'))).rejects.toThrow('own write');
      expect(asked).toHaveLength(1);
      t = 5_001;
      await expect(writeVia(own, write('00000002-0000-4000-8000-000000000000'))).rejects.toThrow('own write');
      expect(asked).toHaveLength(2);
      expect(fallback.batches).toBeGreaterThanOrEqual(3);
      expect(errors).toHaveBeenCalledTimes(1);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('serveWrite (the object’s side)', () => {
  const post = (body: unknown) => new Request('https://writer/write', { method: 'POST', body: JSON.stringify(body) });

  it('answers the write as JSON, undefined as null', async () => {
    expect(await (await serveWrite(post({ a: 1 }), async (b: { a: number }) => ({ twice: b.a * 2 }))).json()).toEqual({ twice: 2 });
    expect(await (await serveWrite(post({}), async () => undefined)).json()).toBeNull();
  });

  it('answers 503 with the reason when the database failed it, and throws anything else (the object failing)', async () => {
    const canceled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    const timedOut = await serveWrite(post({}), () => Promise.reject(canceled));
    expect(timedOut.status).toBe(503);
    expect(await timedOut.json()).toEqual({ failure: 'timeout', detail: 'canceling statement due to statement timeout' });
    const refused = await serveWrite(post({}), () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    expect(await refused.json()).toMatchObject({ failure: 'unreachable' });
    await expect(serveWrite(post({}), () => Promise.reject(new Error('a bug')))).rejects.toThrow('a bug');
  });
});
