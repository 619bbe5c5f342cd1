import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import { clusterPhase } from '../clusters/phase.js';
import { agentsOf } from '../clusters/view.js';
import type { PlacedCluster, ReportedResource } from './rollup.js';

interface Row {
  cluster_uid: string;
  name: string;
  revision: number;
  error: string | null;
  report: { revision: number; resources: ReportedResource[] } | null;
}

/**
 * The clusters an owner is placed on, each with its health and the part of its
 * connector's last report that is about this owner (picked out in SQL).
 */
export async function placedClusters(db: Db, owner: { uid: string; name: string; kind: OwnerKind }, now: Date): Promise<PlacedCluster[]> {
  const rows = rowsOf<Row>(await db.execute(sql`
    select p.cluster_uid, c.name, p.revision, p.error,
      (select x from json_array_elements(r.apps) x
        where x->>'name' = ${owner.name} and coalesce(x->>'kind', 'App') = ${owner.kind} limit 1) as report
    from placements p
    join clusters c on c.uid = p.cluster_uid
    left join cluster_status_reports r on r.cluster_uid = p.cluster_uid
    where p.owner_uid = ${owner.uid}
    order by c.name`));
  const agents = await agentsOf(db, rows.map((r) => r.cluster_uid));
  return rows.map((r) => ({
    name: r.name,
    clusterPhase: clusterPhase(agents.get(r.cluster_uid), now),
    revision: Number(r.revision),
    error: r.error,
    report: r.report ? { revision: Number(r.report.revision), resources: r.report.resources ?? [] } : undefined,
  }));
}
