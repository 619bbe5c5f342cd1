import { eq } from 'drizzle-orm';
import { apiTokens, type ApiTokenRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { deleteResource } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { recordAudit, type Actor } from '../audit.js';

/** Deleting the row is the revocation: the next request with it finds no hash to match. */
export async function revokeToken(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const before = await deleteResource<ApiTokenRow>(tx, apiTokens, eq(apiTokens.tenantId, tenantId), name, pre);
    if (before) await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'token', name, before });
    return before;
  });
}
