import { and, eq, sql } from 'drizzle-orm';
import { clusters } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { preparedPerDb } from '../../../db/prepared.js';
import { unauthorized } from '../../lib/problem.js';
import type { ClusterCache, CachedCluster } from '../../push/cluster-cache.js';
import type { ConnectorIdentity } from './heartbeat.js';

const byCredential = preparedPerDb((db) =>
  db
    .select({ uid: clusters.uid, tenantId: clusters.tenantId, desiredRevision: clusters.desiredRevision })
    .from(clusters)
    .where(and(eq(clusters.uid, sql.placeholder('uid')), eq(clusters.credentialGeneration, sql.placeholder('generation'))))
    .limit(1)
    .prepare('fp_cluster_by_credential'),
);

/**
 * The connector's cluster, if its credential is still the current generation:
 * revocation and deletion take effect on the very next request. With a cache
 * (kept fresh by the push path), an idle poll needs no database at all.
 */
export async function connectorCluster(db: Db, who: ConnectorIdentity, cache?: ClusterCache): Promise<CachedCluster> {
  const now = Date.now();
  const hit = cache?.get(who.clusterUid, who.generation, now);
  if (hit) return hit;
  const mark = cache?.mark();
  const [row] = await byCredential(db).execute({ uid: who.clusterUid, generation: who.generation });
  if (!row) throw unauthorized('the connector credential was revoked or its cluster deleted; join again');
  const cluster = { uid: row.uid, tenantId: row.tenantId, generation: who.generation, desiredRevision: Number(row.desiredRevision) };
  if (cache) cache.fill(cluster.uid, cluster, mark!, now);
  return cluster;
}
