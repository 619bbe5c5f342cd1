import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { apps, type AppRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { deleteResource } from '../../lib/resource-store.js';
import { recordAudit, type Actor } from '../audit.js';
import { removeOwner } from '../placement/remove.js';
import { lockPlacements } from '../placement/lock.js';

/** Deletes an app and its revisions; its clusters lose its objects (or keep them, with deletionPolicy Orphan). */
export async function deleteApp(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenantId);
    const before = await deleteResource<AppRow>(tx, apps, eq(apps.tenantId, tenantId), name, pre);
    if (!before) return undefined;
    await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'app', name, before });
    return { before, pushes: await removeOwner(tx, before.uid) };
  });
}
