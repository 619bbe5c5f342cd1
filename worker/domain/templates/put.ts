import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { templates, type TemplateRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';

export async function putTemplate(db: Db, actor: Actor, tenantId: string, input: PutInput, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const r = await putResource<TemplateRow>(tx, templates, eq(templates.tenantId, tenantId), input, pre, { tenantId });
    if (r.changed) await recordAudit(tx, actor, putAudit(tenantId, 'template', r));
    return r;
  });
}
