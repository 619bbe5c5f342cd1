import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';

/** Below this many new placements in one write, the statistics are left to autovacuum. */
export const ANALYZE_AFTER_ROWS = 500;

/**
 * Postgres keeps a prepared statement's generic plan from when `placements`
 * was analyzed nearly empty: a sequential scan, for every connector asking
 * for its desired state, until autovacuum analyzes the table again (up to a
 * minute after a first fan-out to thousands of clusters). A write that adds
 * more placements than the statistics know of analyzes the table itself;
 * ANALYZE may run in the transaction, and the plans of every connection are
 * made again once it commits.
 */
export async function refreshPlacementStatistics(tx: Db, added: number, minRows = ANALYZE_AFTER_ROWS) {
  if (added < minRows) return;
  const [stats] = rowsOf<{ reltuples: number | string }>(await tx.execute(sql`select reltuples from pg_class where oid = 'placements'::regclass`));
  if (stats && Number(stats.reltuples) >= added) return;
  await tx.execute(sql`analyze placements`);
}
