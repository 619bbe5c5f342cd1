import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import { clusterPhase } from '../clusters/phase.js';
import type { PlacedCluster, ReportedResource } from './rollup.js';

interface Row {
  cluster_uid: string;
  name: string;
  labels: Record<string, string>;
  revision: number;
  pending_revision: number | null;
  released_at: string | Date | null;
  error: string | null;
  last_heartbeat_at: string | Date | null;
  ready: boolean | null;
  report: { revision: number; resources: ReportedResource[] } | null;
}

/**
 * The clusters an owner is placed on, each with its health and the part of its
 * connector's last report that is about this owner (picked out in SQL). One
 * query: a fan-out's PUT answers with 10,000 of them.
 */
export async function placedClusters(db: Db, owner: { uid: string; name: string; kind: OwnerKind }, now: Date): Promise<(PlacedCluster & { labels: Record<string, string> })[]> {
  const rows = rowsOf<Row>(await db.execute(sql`
    select p.cluster_uid, c.name, c.labels, p.revision, p.pending_revision, p.released_at, p.error, a.last_heartbeat_at, a.ready,
      (select x from json_array_elements(r.apps) x
        where x->>'name' = ${owner.name} and coalesce(x->>'kind', 'App') = ${owner.kind} limit 1) as report
    from placements p
    join clusters c on c.uid = p.cluster_uid
    left join cluster_agents a on a.cluster_uid = p.cluster_uid
    left join cluster_status_reports r on r.cluster_uid = p.cluster_uid
    where p.owner_uid = ${owner.uid}
    order by c.name`));
  return rows.map((r) => ({
    name: r.name,
    labels: r.labels,
    clusterPhase: clusterPhase(
      r.ready === null ? undefined : { lastHeartbeatAt: r.last_heartbeat_at === null ? null : new Date(r.last_heartbeat_at), ready: r.ready },
      now,
    ),
    revision: Number(r.revision),
    pendingRevision: r.pending_revision === null ? null : Number(r.pending_revision),
    releasedAt: r.released_at === null ? null : new Date(r.released_at),
    error: r.error,
    report: r.report ? { revision: Number(r.report.revision), resources: r.report.resources ?? [] } : undefined,
  }));
}
