import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { rowsOf } from '../../../db/rows.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import type { ReportedResource } from './rollup.js';

/**
 * The resources the connectors' last reports list for this owner, for the
 * clusters shown (a status's first 100, or one page): only those reports are
 * read, so an app on 10,000 clusters parses 100 of them, not 10,000.
 */
export async function reportedResources(db: Db, owner: { uid: string; name: string; kind: OwnerKind }, clusterUids: string[]) {
  if (clusterUids.length === 0) return new Map<string, ReportedResource[]>();
  const rows = rowsOf<{ cluster_uid: string; resources: ReportedResource[] | null }>(await db.execute(sql`
    select r.cluster_uid,
      (select x->'resources' from json_array_elements(r.apps) x
        where x->>'name' = ${owner.name} and coalesce(x->>'kind', 'App') = ${owner.kind} limit 1) as resources
    from cluster_status_reports r
    where r.cluster_uid = any(${arrayParam(clusterUids, 'uuid')})`));
  return new Map(rows.map((r) => [r.cluster_uid, r.resources ?? []]));
}
