import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { clusterAgents, clusters, joinTokens, tenants } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { signConnectorCredential } from '../../auth/connector-credential.js';
import type { SigningKeys } from '../../auth/signing-keys.js';
import { sha256Hex } from '../../lib/crypto.js';
import { ApiError } from '../../lib/problem.js';
import { recordEvents } from '../events.js';

export interface ClusterFacts {
  kubernetesVersion: string;
  nodeCount: number;
  connectorVersion: string;
}

/**
 * Consumes a join token (exactly one registration can win it), starts a new
 * credential generation for the cluster, and mints the credential.
 * The cluster stays Pending until its first heartbeat.
 */
export async function registerConnector(db: Db, keys: SigningKeys, joinToken: string, facts: ClusterFacts, now: Date) {
  const hash = await sha256Hex(joinToken);
  const cluster = await db.transaction(async (tx) => {
    const [used] = await tx
      .update(joinTokens)
      .set({ usedAt: now })
      .where(and(eq(joinTokens.secretHash, hash), isNull(joinTokens.usedAt), gt(joinTokens.expiresAt, now)))
      .returning({ clusterUid: joinTokens.clusterUid });
    if (!used) throw new ApiError(401, 'invalid_join_token', 'the join token is unknown, already used or expired');
    const [c] = await tx
      .update(clusters)
      .set({ credentialGeneration: sql`${clusters.credentialGeneration} + 1` })
      .where(eq(clusters.uid, used.clusterUid))
      .returning();
    const [t] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.uid, c!.tenantId));
    const agent = { registeredAt: now, lastHeartbeatAt: null, ready: false, appliedRevision: null, conditions: [], silenceRecorded: null, ...facts };
    await tx
      .insert(clusterAgents)
      .values({ clusterUid: c!.uid, ...agent })
      .onConflictDoUpdate({ target: clusterAgents.clusterUid, set: agent });
    await recordEvents(tx, [
      { tenantId: c!.tenantId, kind: 'Cluster', name: c!.name, uid: c!.uid, reason: 'Registered', to: 'Pending', at: now,
        message: `connector ${facts.connectorVersion} on Kubernetes ${facts.kubernetesVersion}` },
    ]);
    return { ...c!, tenantName: t!.name };
  });
  const minted = await signConnectorCredential(keys, { sub: cluster.uid, tnt: cluster.tenantId, gen: cluster.credentialGeneration }, now);
  return { ...minted, cluster };
}
