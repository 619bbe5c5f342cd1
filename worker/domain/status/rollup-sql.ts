import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import type { ClusterAppPhase } from './placement-phase.js';
import { phaseCase, summaryOfCounts } from './phase-counts.js';
import { placementStates } from './placement-states.js';
import { attentionFirst, clusterPhases, ownerPhase, STATUS_CLUSTERS_CAP, type RollUpOptions } from './rollup.js';

/**
 * `rollUp`, computed in Postgres for an owner whose status needs no cluster's
 * labels (no progressive rollout): one pass over its placements yields the
 * counts, the observed generation and which clusters are shown, and only those
 * are read, instead of every placement (an app on 100,000 clusters: about
 * 0.4 s in Node, 0.2 s here, `npm run bench:rollup`). Held equal to `rollUp`
 * by test/apps/phase-counts.test.ts.
 */
export async function rollUpInSql(db: Db, owner: { uid: string; kind: OwnerKind }, generation: number, o: RollUpOptions, cap = STATUS_CLUSTERS_CAP) {
  // an app's reported revision maps to the generation it carried; a namespace's revisions are its generations
  const ofReport = owner.kind === 'App'
    ? sql`coalesce((select r.generation from app_revisions r where r.app_uid = p.owner_uid and r.revision = p.report_revision), 0)`
    : sql`p.report_revision`;
  const [row] = rowsOf<{ counts: { phase: ClusterAppPhase; n: number }[]; observed: number | null; first: string[] | null }>(await db.execute(sql`
    with x as materialized (
      select p.cluster_uid, c.name, ${phaseCase(o.now, o.deadline)} as phase,
        case
          when p.report_revision is null or p.report_phase is null then 0
          when p.pending_revision is null and p.report_revision >= p.revision then ${generation}::int
          else ${ofReport} end as observed
      from placements p
      join clusters c on c.uid = p.cluster_uid
      left join cluster_agents a on a.cluster_uid = p.cluster_uid
      where p.owner_uid = ${owner.uid})
    select
      (select coalesce(json_agg(json_build_object('phase', phase, 'n', n)), '[]'::json) from (select phase, count(*) as n from x group by phase) q) as counts,
      (select min(observed)::int from x) as observed,
      (select json_agg(cluster_uid) from (select cluster_uid from x order by phase = 'Ready', name collate "C" limit ${cap}) s) as first`));
  const summary = summaryOfCounts(row!.counts);
  const first = row!.first ?? [];
  const shown = clusterPhases(await placementStates(db, owner.uid, o.now, first), o.now, o.deadline);
  return {
    phase: ownerPhase(summary, o.paused ?? false),
    observedGeneration: row!.observed === null ? generation : Number(row!.observed),
    summary,
    ...(summary.clusters === 0 ? { message: 'no cluster matches the placement' } : {}),
    shown: shown.sort(attentionFirst),
  };
}
