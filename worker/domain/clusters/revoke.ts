import { eq, sql } from 'drizzle-orm';
import { clusters, joinTokens } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { recordAudit, type Actor } from '../audit.js';

/**
 * Invalidates the cluster's connector credential at once (its generation no
 * longer matches) and any join token not used yet: the connector must join again.
 */
export async function revokeCluster(db: Db, actor: Actor, cluster: { uid: string; tenantId: string; name: string }) {
  await db.transaction(async (tx) => {
    await tx
      .update(clusters)
      .set({ credentialGeneration: sql`${clusters.credentialGeneration} + 1` })
      .where(eq(clusters.uid, cluster.uid));
    await tx.delete(joinTokens).where(eq(joinTokens.clusterUid, cluster.uid));
    await recordAudit(tx, actor, { tenantId: cluster.tenantId, action: 'revoke', kind: 'cluster', name: cluster.name });
  });
}
