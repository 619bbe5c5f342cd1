import { tenants, type TenantRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';

export async function putTenant(db: Db, actor: Actor, input: PutInput, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const r = await putResource<TenantRow>(tx, tenants, undefined, input, pre);
    if (r.changed) await recordAudit(tx, actor, putAudit(r.row.uid, 'tenant', r));
    return r;
  });
}
