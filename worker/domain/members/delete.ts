import { eq } from 'drizzle-orm';
import { members, type MemberRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { deleteResource } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { recordAudit, type Actor } from '../audit.js';
import { keepAnOwner, lockTenant } from './owners.js';

export async function deleteMember(db: Db, actor: Actor, tenantId: string, subject: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    await lockTenant(tx, tenantId);
    const before = await deleteResource<MemberRow>(tx, members, eq(members.tenantId, tenantId), subject, pre);
    if (!before) return undefined;
    if ((before.spec as { role: string }).role === 'owner') await keepAnOwner(tx, tenantId, subject);
    await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'member', name: subject, before });
    return before;
  });
}
