import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { federatedNamespaces, type FederatedNamespaceRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { deleteResource } from '../../lib/resource-store.js';
import { recordAudit, type Actor } from '../audit.js';
import { removeOwner } from '../placement/remove.js';
import { lockPlacements } from '../placement/lock.js';

/** Deletes a federated namespace; connectors then prune its Namespace, quota and limits. */
export async function deleteNamespace(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenantId);
    const before = await deleteResource<FederatedNamespaceRow>(tx, federatedNamespaces, eq(federatedNamespaces.tenantId, tenantId), name, pre);
    if (!before) return undefined;
    await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'namespace', name, before });
    return { before, pushes: await removeOwner(tx, before.uid) };
  });
}
