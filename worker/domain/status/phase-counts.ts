import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import { UNKNOWN_AFTER_MS } from '../clusters/phase.js';
import type { ClusterAppPhase, Deadline } from './placement-phase.js';
import { summarize } from './rollup.js';

/**
 * `placementPhase` as one CASE over a placement `p` and its cluster's agent
 * `a`, as of `now`; held equal to it by test/apps/phase-counts.test.ts.
 */
export function phaseCase(now: Date, deadline: Deadline) {
  const at = now.toISOString();
  return sql`case
    when a.last_heartbeat_at < ${at}::timestamptz - make_interval(secs => ${UNKNOWN_AFTER_MS / 1000}) then 'Unknown'
    when p.error is not null then 'Failed'
    when p.pending_revision is not null then 'Pending'
    when p.report_revision >= p.revision and p.report_phase in ('Ready', 'Failed', 'Suspended') then p.report_phase
    when ${deadline ?? null}::int is not null and p.released_at < ${at}::timestamptz - make_interval(secs => ${(deadline ?? 0) / 1000}) then 'Failed'
    when p.report_revision is null or p.report_revision < p.revision then 'Pending'
    else 'Progressing'
  end`;
}

/**
 * An owner's `summary`, counted in Postgres: `placementPhase` as one CASE over
 * the stored verdicts, so recording an app's phase after a report moves one
 * row of counts, not a row per cluster (10,000 for a large app). The two are
 * held equal by test/apps/phase-counts.test.ts.
 */
export async function phaseSummary(db: Db, ownerUid: string, now: Date, deadline: Deadline) {
  const rows = rowsOf<{ phase: ClusterAppPhase; n: string | number }>(await db.execute(sql`
    select phase, count(*) as n from (
      select ${phaseCase(now, deadline)} as phase
      from placements p left join cluster_agents a on a.cluster_uid = p.cluster_uid
      where p.owner_uid = ${ownerUid}) x
    group by phase`));
  return summaryOfCounts(rows);
}

/** `summarize` from counts per phase. */
export const summaryOfCounts = (rows: { phase: ClusterAppPhase; n: string | number }[]) =>
  summarize(rows.flatMap((r) => Array<ClusterAppPhase>(Number(r.n)).fill(r.phase)));
