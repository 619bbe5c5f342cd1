import { eq } from 'drizzle-orm';
import { members, type MemberRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import type { Role } from '../../auth/roles.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';
import { keepAnOwner, lockTenant } from './owners.js';

const roleOf = (r: { spec: unknown } | undefined) => (r?.spec as { role?: Role } | undefined)?.role;

export async function putMember(db: Db, actor: Actor, tenantId: string, input: PutInput, pre: Preconditions) {
  return db.transaction(async (tx) => {
    await lockTenant(tx, tenantId);
    const r = await putResource<MemberRow>(tx, members, eq(members.tenantId, tenantId), input, pre, { tenantId });
    if (roleOf(r.before) === 'owner' && roleOf(r.row) !== 'owner') await keepAnOwner(tx, tenantId, input.name);
    if (r.changed) await recordAudit(tx, actor, putAudit(tenantId, 'member', r));
    return r;
  });
}
