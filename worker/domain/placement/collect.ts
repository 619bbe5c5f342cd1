import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { rowsOf } from '../../../db/rows.js';

/**
 * Deletes the contents among `hashes` that no placement uses any more (as
 * released or as pending content), so storage follows what is deployed.
 *
 * No foreign key guards placements' hashes, so two statements do: the first
 * locks the candidates no other transaction holds (a transaction about to name
 * a content stores it first, which locks its row: that content is skipped);
 * the second, with a snapshot taken after those locks, deletes the locked ones
 * nothing references. A transaction that named one and committed in between is
 * seen by it; one that wants to name one now waits for this transaction, then
 * stores the content again.
 */
export async function collectContents(tx: Db, hashes: Iterable<string | null>) {
  const candidates = [...new Set([...hashes].filter((h): h is string => h !== null))];
  if (candidates.length === 0) return;
  const locked = rowsOf<{ hash: string }>(await tx.execute(sql`
    select hash from rendered_contents where hash = any(${arrayParam(candidates, 'text')}) for update skip locked`));
  if (locked.length === 0) return;
  await tx.execute(sql`
    delete from rendered_contents rc where rc.hash = any(${arrayParam(locked.map((r) => r.hash), 'text')})
      and not exists (select 1 from placements p where p.content_hash = rc.hash)
      and not exists (select 1 from placements p where p.pending_hash = rc.hash)`);
}
