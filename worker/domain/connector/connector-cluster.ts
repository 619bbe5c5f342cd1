import { and, eq } from 'drizzle-orm';
import { clusters } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { unauthorized } from '../../lib/problem.js';
import type { ConnectorIdentity } from './heartbeat.js';

/**
 * The connector's cluster, if its credential is still the current generation:
 * revocation and deletion take effect on the very next request.
 */
export async function connectorCluster(db: Db, who: ConnectorIdentity) {
  const [row] = await db
    .select({ uid: clusters.uid, tenantId: clusters.tenantId, desiredRevision: clusters.desiredRevision })
    .from(clusters)
    .where(and(eq(clusters.uid, who.clusterUid), eq(clusters.credentialGeneration, who.generation)))
    .limit(1);
  if (!row) throw unauthorized('the connector credential was revoked or its cluster deleted; join again');
  return row;
}
