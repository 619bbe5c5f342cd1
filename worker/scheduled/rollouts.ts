import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import { settleTenantApps } from '../domain/apps/settle.js';
import type { ScheduledJob } from './job.js';

/** Rollouts per run, the longest untouched first: a fleet of rollouts is worked through over a few runs. */
export const ROLLOUT_BATCH = 200;

/**
 * The time-based half of progressive rollouts: a released cluster that stays
 * short of Ready past the progress deadline turns Failed when the deadline
 * passes, not at a report that may never come, and its rollout pauses or goes
 * on. Reports move rollouts themselves; this only settles those in progress.
 */
export const progressingRollouts: ScheduledJob = {
  name: 'rollouts',
  async run(db, now, pushes) {
    const due = rowsOf<{ app_uid: string; tenant_id: string }>(await db.execute(sql`
      select app_uid, tenant_id from app_rollouts where state = 'Progressing'
      order by updated_at limit ${ROLLOUT_BATCH}`));
    pushes.push(...(await settleTenantApps(db, due, now)));
    return due.length;
  },
};
