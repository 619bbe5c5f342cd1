import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { ClusterAppPhase, Deadline } from './placement-phase.js';
import { phaseCase } from './phase-counts.js';
import { placementStates, type PlacedState } from './placement-states.js';

export interface PageOf {
  /** names after this one (code-unit order, as cursors compare them) */
  after: string;
  /** only the clusters in this phase for the owner, as of `now` */
  phase?: ClusterAppPhase | undefined;
  limit: number;
}

/**
 * One page of an owner's placements by cluster name: Postgres picks the page
 * (the phase filter is `placementPhase` as its CASE) and only its clusters are
 * read, instead of every placement per page (at 100,000 clusters each page read
 * them all). `more` says whether a next page exists.
 */
export async function placementPage(db: Db, ownerUid: string, now: Date, deadline: Deadline, o: PageOf): Promise<{ placed: PlacedState[]; more: boolean }> {
  const rows = rowsOf<{ cluster_uid: string }>(await db.execute(sql`
    select p.cluster_uid from placements p
    join clusters c on c.uid = p.cluster_uid
    left join cluster_agents a on a.cluster_uid = p.cluster_uid
    where p.owner_uid = ${ownerUid} and c.name collate "C" > ${o.after}
      ${o.phase ? sql`and (${phaseCase(now, deadline)}) = ${o.phase}` : sql``}
    order by c.name collate "C"
    limit ${o.limit + 1}`));
  const page = rows.slice(0, o.limit).map((r) => r.cluster_uid);
  return { placed: await placementStates(db, ownerUid, now, page), more: rows.length > o.limit };
}
