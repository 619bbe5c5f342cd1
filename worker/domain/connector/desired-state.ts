import { eq } from 'drizzle-orm';
import { desiredStates } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';

/** The objects rendered for a cluster; none until something is placed on it. */
export async function desiredObjects(db: Db, clusterUid: string) {
  const [row] = await db.select({ objects: desiredStates.objects }).from(desiredStates).where(eq(desiredStates.clusterUid, clusterUid));
  return row?.objects ?? [];
}
