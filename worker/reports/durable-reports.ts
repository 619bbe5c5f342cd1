import { writeReport, type ReportWrite } from '../domain/connector/status-batch.js';
import type { Pushes } from '../domain/placement/sync.js';
import { durableWriter, shardOf, type WriteFn, type WriterOptions } from '../lib/durable-writer.js';
import type { DurableObjectNamespace } from '../push/workers-types.js';
import { noteEnqueued } from '../webhooks/enqueued.js';

/** Stores one status report, with whichever others are waiting: the pushes to make, or undefined when it was not stored. */
export type ReportWriterFn = WriteFn<ReportWrite, Pushes | undefined>;

/** A report as it travels to its object: JSON, its apps as the text stored, its time as text. */
export type WireReport = Omit<ReportWrite, 'at' | 'apps'> & { at: string };

/** What the object answers for a stored report: its pushes, and the tenants whose webhook deliveries its batch enqueued. */
export interface StoredReport {
  pushes: Pushes;
  tenants: string[];
}

/** Objects the reports are spread over, by cluster. */
export const REPORT_SHARDS = 8;

/** The name of the object that writes this cluster's status reports. */
export const statusWriterName = (clusterUid: string) => shardOf('reports', REPORT_SHARDS, clusterUid);

/**
 * Status reports on Workers, batched in `StatusWriter` Durable Objects (see
 * durableWriter), apart from the heartbeats' objects: a report's batch also
 * settles rollouts and records phases, and should not hold up heartbeats.
 * The deliveries the object's batch enqueued are noted in this request, so
 * that they go out after it as the isolate's own write would have them.
 */
export function durableReports(writers: DurableObjectNamespace, { queryTimeoutMs, now }: WriterOptions): ReportWriterFn {
  return durableWriter({
    what: 'status reports: the StatusWriter Durable Object',
    objects: writers,
    objectOf: (r) => statusWriterName(r.clusterUid),
    wire: ({ apps: _apps, at, ...r }): WireReport => ({ ...r, at: at.toISOString() }),
    answer: (json) => {
      const stored = json as StoredReport | null;
      if (!stored) return undefined;
      if (stored.tenants.length > 0) noteEnqueued(stored.tenants);
      return stored.pushes;
    },
    own: writeReport,
    queryTimeoutMs,
    now,
  });
}
