import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';

/**
 * Deletes the contents among `hashes` that no placement uses any more (as
 * released or as pending content), so
 * storage follows what is deployed. A content another transaction is about to
 * use is locked by it (stored with a row lock, or referenced by a new
 * placement) and skipped here, never deleted under it.
 */
export async function collectContents(tx: Db, hashes: Iterable<string | null>) {
  const candidates = [...new Set([...hashes].filter((h): h is string => h !== null))];
  if (candidates.length === 0) return;
  await tx.execute(sql`
    delete from rendered_contents where hash in (
      select rc.hash from rendered_contents rc
      where rc.hash = any(${arrayParam(candidates, 'text')})
        and not exists (select 1 from placements p where p.content_hash = rc.hash)
        and not exists (select 1 from placements p where p.pending_hash = rc.hash)
      for update skip locked)`);
}
