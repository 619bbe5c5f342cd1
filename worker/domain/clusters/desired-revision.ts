import { sql } from 'drizzle-orm';
import { clusters } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { pushTargetOf, type PushTarget } from '../../push/push.js';
import { arrayParam } from '../../../db/array-param.js';

/**
 * Moves the desired revision of these clusters forward (one sequence for all,
 * so it only ever grows). Returns what to publish once the transaction commits.
 */
export async function bumpDesiredRevision(tx: Db, clusterUids: string[]) {
  if (clusterUids.length === 0) return [];
  const rows = await tx
    .update(clusters)
    .set({ desiredRevision: sql`nextval('desired_revision_seq')` })
    .where(sql`${clusters.uid} = any(${arrayParam(clusterUids, 'uuid')})`) // one parameter, however many clusters
    .returning({ uid: clusters.uid, tenantId: clusters.tenantId, revision: clusters.desiredRevision });
  return rows.map((r): { target: PushTarget; revision: number } => ({ target: pushTargetOf(r), revision: r.revision }));
}
