import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { IDEMPOTENCY_TTL_MS } from '../lib/idempotency.js';
import type { ScheduledJob } from './job.js';

/** Rows per table per run: a backlog is cleared over several runs, each short. */
export const JANITOR_BATCH = 5_000;

/** A join token is kept this long after it stops working, so a failed join can still be traced to it. */
export const JOIN_TOKEN_RETENTION_MS = 24 * 3600 * 1000;

async function deleted(db: Db, query: SQL): Promise<number> {
  const rows = rowsOf<{ n: number }>(await db.execute(sql`with gone as (${query} returning 1) select count(*)::int as n from gone`));
  return rows[0]?.n ?? 0;
}

/**
 * Deletes idempotency records past their replay window and join tokens long
 * expired or used; the request path only ever deletes a record whose key is reused.
 */
export const janitor: ScheduledJob = {
  name: 'janitor',
  async run(db, now) {
    const replayedUntil = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
    const keptUntil = new Date(now.getTime() - JOIN_TOKEN_RETENTION_MS);
    const records = await deleted(db, sql`
      delete from idempotency_records where ctid in (
        select ctid from idempotency_records where created_at < ${replayedUntil} limit ${JANITOR_BATCH})`);
    const tokens = await deleted(db, sql`
      delete from join_tokens where secret_hash in (
        select secret_hash from join_tokens where expires_at < ${keptUntil} or used_at < ${keptUntil} limit ${JANITOR_BATCH})`);
    return records + tokens;
  },
};
