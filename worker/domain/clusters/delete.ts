import { and, eq } from 'drizzle-orm';
import { clusters, placements, type ClusterRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { deleteResource } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { recordAudit, type Actor } from '../audit.js';
import { collectContents } from '../placement/collect.js';
import { lockPlacements } from '../placement/lock.js';
import { settleApps } from '../apps/settle.js';

/** Deletes the cluster; its agent row, join tokens and reports go with it, so its credential stops working. */
export async function deleteCluster(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions, now: Date) {
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenantId);
    // its placements go with it (cascade); what only it held can go too
    const held = await tx.select({ hash: placements.contentHash, pending: placements.pendingHash, owner: placements.ownerUid, kind: placements.ownerKind }).from(placements)
      .innerJoin(clusters, eq(clusters.uid, placements.clusterUid))
      .where(and(eq(clusters.tenantId, tenantId), eq(clusters.name, name)));
    const before = await deleteResource<ClusterRow>(tx, clusters, eq(clusters.tenantId, tenantId), name, pre);
    if (!before) return undefined;
    await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'cluster', name, before });
    await collectContents(tx, held.flatMap((h) => [h.hash, h.pending]));
    // a wave waiting on this cluster may be finished without it
    const pushes = await settleApps(tx, held.filter((h) => h.kind === 'App').map((h) => h.owner), now);
    return { before, pushes };
  });
}
