import { and, eq, ne, sql } from 'drizzle-orm';
import { members, tenants } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { ApiError } from '../../lib/problem.js';

/** Member changes of one tenant run one at a time, so two demotions cannot both pass the owner check. */
export async function lockTenant(tx: Db, tenantId: string) {
  await tx.select({ uid: tenants.uid }).from(tenants).where(eq(tenants.uid, tenantId)).for('update');
}

/** Refuses a change that would leave a tenant that has owners with none. */
export async function keepAnOwner(tx: Db, tenantId: string, subject: string) {
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), ne(members.name, subject), sql`${members.spec}->>'role' = 'owner'`));
  if (n === 0) throw new ApiError(409, 'last_owner', `"${subject}" is the tenant's last owner; make someone else owner first`);
}
