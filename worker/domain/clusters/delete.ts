import { eq } from 'drizzle-orm';
import { clusters, type ClusterRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { deleteResource } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { recordAudit, type Actor } from '../audit.js';

/** Deletes the cluster; its agent row, join tokens and reports go with it, so its credential stops working. */
export async function deleteCluster(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const before = await deleteResource<ClusterRow>(tx, clusters, eq(clusters.tenantId, tenantId), name, pre);
    if (before) await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'cluster', name, before });
    return before;
  });
}
