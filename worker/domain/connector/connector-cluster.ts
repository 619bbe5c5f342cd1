import { sql } from 'drizzle-orm';
import { clusters } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { arrayLiteral } from '../../../db/array-param.js';
import { perDb, preparedPerDb } from '../../../db/prepared.js';
import { BatchLoader } from '../../lib/batch-loader.js';
import { unauthorized } from '../../lib/problem.js';
import type { ClusterCache, CachedCluster } from '../../push/cluster-cache.js';
import type { ConnectorIdentity } from './heartbeat.js';

/** Clusters by uid, many at once: a fleet whose connectors all ask after a restart is read a few hundred per query. */
const byUids = preparedPerDb((db) =>
  db
    .select({ uid: clusters.uid, tenantId: clusters.tenantId, desiredRevision: clusters.desiredRevision, generation: clusters.credentialGeneration })
    .from(clusters)
    .where(sql`${clusters.uid} = any(${sql.placeholder('uids')}::uuid[])`)
    .prepare('fp_clusters_by_uid'),
);

type ClusterRow = Awaited<ReturnType<ReturnType<typeof byUids>['execute']>>[number];

const loaderOf = perDb((db) => new BatchLoader<string, ClusterRow>(async (uids) =>
  new Map((await byUids(db).execute({ uids: arrayLiteral(uids) })).map((r) => [r.uid, r]))));

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
  const row = await loaderOf(db).load(who.clusterUid);
  if (!row || row.generation !== who.generation) throw unauthorized('the connector credential was revoked or its cluster deleted; join again');
  const cluster = { uid: row.uid, tenantId: row.tenantId, generation: who.generation, desiredRevision: Number(row.desiredRevision) };
  if (cache) cache.fill(cluster.uid, cluster, mark!, now);
  return cluster;
}
