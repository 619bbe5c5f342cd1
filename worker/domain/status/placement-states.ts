import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { rowsOf } from '../../../db/rows.js';
import type { ReportPhase } from '../../../db/schema/index.js';
import { clusterPhase } from '../clusters/phase.js';
import type { PlacementState } from './placement-phase.js';

interface Row {
  cluster_uid: string;
  name: string;
  labels: Record<string, string>;
  revision: number;
  pending_revision: number | null;
  released_at: string | Date | null;
  error: string | null;
  report_revision: number | null;
  report_phase: ReportPhase | null;
  last_heartbeat_at: string | Date | null;
  ready: boolean | null;
}

export type PlacedState = PlacementState & { uid: string; name: string; labels: Record<string, string> };

const date = (d: string | Date | null) => (d === null ? null : new Date(d));

/**
 * Every placement of an owner (or those on `clusterUids`, none if it is empty) in the narrow form a rollout and the app's
 * phase need: no report is parsed (its verdict is kept on the placement), so
 * this stays cheap on every status report that changes a verdict.
 */
export async function placementStates(db: Db, ownerUid: string, now: Date, clusterUids?: string[]): Promise<PlacedState[]> {
  if (clusterUids?.length === 0) return [];
  const rows = rowsOf<Row>(await db.execute(sql`
    select p.cluster_uid, c.name, c.labels, p.revision, p.pending_revision, p.released_at, p.error,
      p.report_revision, p.report_phase, a.last_heartbeat_at, a.ready
    from placements p
    join clusters c on c.uid = p.cluster_uid
    left join cluster_agents a on a.cluster_uid = p.cluster_uid
    where p.owner_uid = ${ownerUid} ${clusterUids ? sql`and p.cluster_uid = any(${arrayParam(clusterUids, 'uuid')})` : sql``}`));
  return rows.map((r) => ({
    uid: r.cluster_uid,
    name: r.name,
    labels: r.labels,
    clusterPhase: clusterPhase(r.ready === null ? undefined : { lastHeartbeatAt: date(r.last_heartbeat_at), ready: r.ready }, now),
    revision: Number(r.revision),
    pendingRevision: r.pending_revision === null ? null : Number(r.pending_revision),
    releasedAt: date(r.released_at),
    error: r.error,
    report: r.report_revision === null || r.report_phase === null ? undefined : { revision: Number(r.report_revision), phase: r.report_phase },
  }));
}
