import { tenants, type TenantRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { deleteResource } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { recordAudit, type Actor } from '../audit.js';

/** Deletes the tenant and, by cascade, everything in it. Its audit trail is kept. */
export async function deleteTenant(db: Db, actor: Actor, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const before = await deleteResource<TenantRow>(tx, tenants, undefined, name, pre);
    if (before) {
      await recordAudit(tx, actor, { tenantId: before.uid, action: 'delete', kind: 'tenant', name, before });
    }
    return before;
  });
}
