import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { rowsOf } from '../../../db/rows.js';
import { UNKNOWN_AFTER_MS } from '../clusters/phase.js';
import type { ClusterAppPhase, Deadline } from './placement-phase.js';
import { summarize } from './rollup.js';

/**
 * `placementPhase` as one CASE over a placement `p` and its cluster's agent
 * `a`, as of `now`; held equal to it by test/apps/phase-counts.test.ts.
 */
export function phaseCase(now: Date, deadline: Deadline) {
  // the instants compared with, worked out here: as expressions they were evaluated again on every row
  const darkBefore = new Date(now.getTime() - UNKNOWN_AFTER_MS).toISOString();
  const overdueBefore = deadline === undefined ? null : new Date(now.getTime() - deadline).toISOString();
  return sql`case
    when a.last_heartbeat_at < ${darkBefore}::timestamptz then 'Unknown'
    when p.error is not null then 'Failed'
    when p.pending_revision is not null then 'Pending'
    when p.report_revision >= p.revision and p.report_phase in ('Ready', 'Failed', 'Suspended') then p.report_phase
    when p.released_at < ${overdueBefore}::timestamptz then 'Failed'
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

/** `phaseSummary` of several owners without a deadline, in one statement; an owner with no placement counts none. */
export async function phaseSummaries(db: Db, ownerUids: string[], now: Date) {
  const rows = rowsOf<{ owner_uid: string; phase: ClusterAppPhase; n: string | number }>(await db.execute(sql`
    select owner_uid, phase, count(*) as n from (
      select p.owner_uid, ${phaseCase(now, undefined)} as phase
      from placements p left join cluster_agents a on a.cluster_uid = p.cluster_uid
      where p.owner_uid = any(${arrayParam(ownerUids, 'uuid')})) x
    group by owner_uid, phase`));
  return new Map(ownerUids.map((uid) => [uid, summaryOfCounts(rows.filter((r) => r.owner_uid === uid))]));
}

/** `summarize` from counts per phase. */
export const summaryOfCounts = (rows: { phase: ClusterAppPhase; n: string | number }[]) =>
  summarize(rows.flatMap((r) => Array<ClusterAppPhase>(Number(r.n)).fill(r.phase)));
