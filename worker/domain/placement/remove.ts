import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import { bumpDesiredRevision } from '../clusters/desired-revision.js';
import { collectContents } from './collect.js';

/**
 * Takes an owner off every cluster. The connectors then prune its objects, or
 * orphan them where the objects say `deletion-policy: Orphan`.
 */
export async function removeOwner(tx: Db, ownerUid: string) {
  const gone = rowsOf<{ cluster_uid: string; content_hash: string | null; pending_hash: string | null }>(
    await tx.execute(sql`delete from placements where owner_uid = ${ownerUid} returning cluster_uid, content_hash, pending_hash`),
  );
  await collectContents(tx, gone.flatMap((g) => [g.content_hash, g.pending_hash]));
  return bumpDesiredRevision(tx, gone.map((g) => g.cluster_uid));
}
