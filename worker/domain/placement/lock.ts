import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';

/**
 * Placement changes of one tenant run one at a time, until the transaction
 * ends: an app change reads the clusters' labels while a relabel reads the
 * apps, and without this each could act on what the other is replacing.
 * Taken first in every such transaction, before any row lock.
 */
export async function lockPlacements(tx: Db, tenantId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`placements:${tenantId}`}, 0))`);
}
