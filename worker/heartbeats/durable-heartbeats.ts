import type { Db } from '../../db/client.js';
import { writeHeartbeat, type HeartbeatRow, type HeartbeatWrite } from '../domain/connector/heartbeat-batch.js';
import { databaseUnavailable } from '../lib/error-response.js';
import { outageGuard } from '../lib/outage-guard.js';
import type { DurableObjectNamespace } from '../push/workers-types.js';

/** Writes one heartbeat, with whichever others are waiting; undefined when its credential no longer holds. */
export type HeartbeatWriterFn = (db: Db, write: HeartbeatWrite) => Promise<HeartbeatRow | undefined>;

/** Objects the heartbeats are spread over, by cluster: each is one thread, and one place. */
export const HEARTBEAT_SHARDS = 8;
/** Past this the object counts as down (a write waiting on the database takes at most 5 s to fail). */
const TIMEOUT_MS = 8_000;
/** How long an isolate writes on its own after an object failed, before asking one again. */
const RETRY_AFTER_FAILURE_MS = 5_000;

/** The name of the object that writes this cluster's heartbeats. */
export const heartbeatWriterName = (clusterUid: string) => `heartbeats:${Number.parseInt(clusterUid.slice(0, 8), 16) % HEARTBEAT_SHARDS}`;

/**
 * Heartbeats on Workers, batched in `HeartbeatWriter` Durable Objects: the
 * cluster's shard writes it with the others it holds, on connections it
 * keeps. An object that fails (throws, times out, answers other than 2xx)
 * does not fail the heartbeat: the isolate writes it itself on the request's
 * own connection, as without the objects, and does so for a few seconds
 * before asking again; the outage is logged once, not once a request. A
 * heartbeat written twice so (the object wrote it, its answer was lost) is
 * harmless: the second finds what the first wrote, and no phase moves. An
 * object that could not reach the database has not failed: the heartbeat is
 * answered 503, as the isolate would have answered it, without a second try.
 */
export function durableHeartbeats(writers: DurableObjectNamespace, now = Date.now): HeartbeatWriterFn {
  const guard = outageGuard(
    'heartbeats: the HeartbeatWriter Durable Object failed; each isolate writes its own until it answers again:', RETRY_AFTER_FAILURE_MS, now);
  return async (db, write) => {
    const answer = await guard(async () => {
      const writer = writers.get(writers.idFromName(heartbeatWriterName(write.clusterUid)));
      const res = await writer.fetch('https://heartbeat-writer/write', {
        method: 'POST', body: JSON.stringify(write), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.status === 503) return 'unavailable' as const;
      if (!res.ok) throw new Error(`answered ${res.status}: ${await res.text()}`);
      return { row: (await res.json()) as HeartbeatRow | null };
    });
    if (answer === 'unavailable') throw databaseUnavailable();
    if (answer === undefined) return writeHeartbeat(db, write);
    return answer.row ?? undefined;
  };
}
