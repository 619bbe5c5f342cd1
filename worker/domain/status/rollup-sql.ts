import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import { phaseCase, phaseSummary } from './phase-counts.js';
import { placementStates } from './placement-states.js';
import { attentionFirst, clusterPhases, ownerPhase, STATUS_CLUSTERS_CAP, type RollUpOptions } from './rollup.js';

/**
 * `rollUp`, computed in Postgres for an owner whose status needs no cluster's
 * labels (no progressive rollout): the counts and the observed generation are
 * one row each, and only the clusters shown are read, instead of every
 * placement (an app on 100,000 clusters took 0.7 s to read and roll up). Held
 * equal to `rollUp` by test/apps/phase-counts.test.ts.
 */
export async function rollUpInSql(db: Db, owner: { uid: string; kind: OwnerKind }, generation: number, o: RollUpOptions, cap = STATUS_CLUSTERS_CAP) {
  const summary = await phaseSummary(db, owner.uid, o.now, o.deadline);
  // an app's reported revision maps to the generation it carried; a namespace's revisions are its generations
  const ofReport = owner.kind === 'App'
    ? sql`coalesce((select r.generation from app_revisions r where r.app_uid = p.owner_uid and r.revision = p.report_revision), 0)`
    : sql`p.report_revision`;
  const [observed] = rowsOf<{ g: string | number | null }>(await db.execute(sql`
    select min(case
      when p.report_revision is null or p.report_phase is null then 0
      when p.pending_revision is null and p.report_revision >= p.revision then ${generation}::int
      else ${ofReport} end) as g
    from placements p where p.owner_uid = ${owner.uid}`));
  const first = rowsOf<{ cluster_uid: string }>(await db.execute(sql`
    select p.cluster_uid from placements p
    join clusters c on c.uid = p.cluster_uid
    left join cluster_agents a on a.cluster_uid = p.cluster_uid
    where p.owner_uid = ${owner.uid}
    order by (${phaseCase(o.now, o.deadline)}) = 'Ready', c.name collate "C"
    limit ${cap}`));
  const shown = first.length === 0 ? [] : clusterPhases(await placementStates(db, owner.uid, o.now, first.map((r) => r.cluster_uid)), o.now, o.deadline);
  return {
    phase: ownerPhase(summary, o.paused ?? false),
    observedGeneration: observed?.g === null || observed?.g === undefined ? generation : Number(observed.g),
    summary,
    ...(summary.clusters === 0 ? { message: 'no cluster matches the placement' } : {}),
    shown: shown.sort(attentionFirst),
  };
}
