import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { clusters } from '../../../db/schema/index.js';
import type { ClusterRef } from './select.js';

/** Every cluster of a tenant, as placement sees it (name and labels). */
export async function tenantClusters(db: Db, tenantId: string): Promise<ClusterRef[]> {
  return db.select({ uid: clusters.uid, name: clusters.name, labels: clusters.labels }).from(clusters).where(eq(clusters.tenantId, tenantId));
}
