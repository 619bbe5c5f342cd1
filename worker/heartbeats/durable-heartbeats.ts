import { writeHeartbeat, type HeartbeatRow, type HeartbeatWrite } from '../domain/connector/heartbeat-batch.js';
import { durableWriter, shardOf, type WriteFn, type WriterOptions } from '../lib/durable-writer.js';
import type { DurableObjectNamespace } from '../push/workers-types.js';

/** Writes one heartbeat, with whichever others are waiting; undefined when its credential no longer holds. */
export type HeartbeatWriterFn = WriteFn<HeartbeatWrite, HeartbeatRow | undefined>;

/** Objects the heartbeats are spread over, by cluster: each is one thread, and one place. */
export const HEARTBEAT_SHARDS = 8;

/** The name of the object that writes this cluster's heartbeats. */
export const heartbeatWriterName = (clusterUid: string) => shardOf('heartbeats', HEARTBEAT_SHARDS, clusterUid);

/**
 * Heartbeats on Workers, batched in `HeartbeatWriter` Durable Objects (see
 * durableWriter): the cluster's shard writes it with the others it holds.
 */
export function durableHeartbeats(writers: DurableObjectNamespace, { queryTimeoutMs, now }: WriterOptions): HeartbeatWriterFn {
  return durableWriter({
    what: 'heartbeats: the HeartbeatWriter Durable Object',
    objects: writers,
    objectOf: (w) => heartbeatWriterName(w.clusterUid),
    wire: (w) => w,
    answer: (row) => (row as HeartbeatRow | null) ?? undefined,
    own: writeHeartbeat,
    queryTimeoutMs,
    now,
  });
}
