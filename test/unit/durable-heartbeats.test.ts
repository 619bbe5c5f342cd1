import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.js';
import type { HeartbeatWrite } from '../../worker/domain/connector/heartbeat-batch.js';
import { durableHeartbeats, heartbeatWriterName, HEARTBEAT_SHARDS } from '../../worker/heartbeats/durable-heartbeats.js';
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
    const writeVia = durableHeartbeats(ns);
    const uid = '0badcafe-0000-4000-8000-000000000000';
    expect(await writeVia(untouched, write(uid))).toMatchObject({ desired_revision: '7', name: 'edge' });
    expect(asked).toEqual([{ name: heartbeatWriterName(uid), body: { ...write(uid), at: '2026-12-04T00:00:00.000Z' } }]);
    row = null;
    expect(await writeVia(untouched, write(uid))).toBeUndefined();
  });

  it('answers 503 when the object could not reach the database, without writing it again, and asks the object next time', async () => {
    const { ns, asked } = objects(() => new Response('connection terminated', { status: 503 }));
    const writeVia = durableHeartbeats(ns);
    for (let i = 0; i < 2; i++) {
      const err = await writeVia(untouched, write('00000001-0000-4000-8000-000000000000')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 503, code: 'unavailable' });
    }
    expect(asked).toHaveLength(2);
  });

  it('writes in the isolate when the object fails, for 5 s, then asks the object again', async () => {
    let t = 0;
    const { ns, asked } = objects(() => new Response('boom', { status: 500 }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const writeVia = durableHeartbeats(ns, () => t);
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
