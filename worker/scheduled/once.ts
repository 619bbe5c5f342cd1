import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';

// Arbitrary; the per-tenant placement locks are hashtextextended() keys, which this is not expected to meet.
const SCHEDULED_WORK_LOCK = '5065232318839193414';

/**
 * Takes the scheduled-work lock for the rest of `tx`, without waiting: replicas
 * sharing a database fire at about the same time, and one run is enough.
 */
export async function tryScheduledWorkLock(tx: Db): Promise<boolean> {
  const result = await tx.execute(sql`select pg_try_advisory_xact_lock(${SCHEDULED_WORK_LOCK}::bigint) as locked`);
  return rowsOf<{ locked: boolean }>(result)[0]?.locked === true;
}
