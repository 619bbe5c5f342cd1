import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { apps, templates, type TemplateRow } from '../../../db/schema/index.js';
import { ApiError } from '../../lib/problem.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { deleteResource } from '../../lib/resource-store.js';
import { recordAudit, type Actor } from '../audit.js';

/** Apps of the tenant that deploy this (non-catalog) template, by name. */
async function appsUsing(tx: Db, tenantId: string, template: string) {
  const rows = await tx
    .select({ name: apps.name })
    .from(apps)
    .where(and(
      eq(apps.tenantId, tenantId),
      sql`${apps.spec}::jsonb #>> '{template,name}' = ${template}`,
      sql`coalesce((${apps.spec}::jsonb #>> '{template,catalog}')::boolean, false) = false`,
    ))
    .orderBy(apps.name)
    .limit(10);
  return rows.map((r) => r.name);
}

/** Deletes a template and its versions, unless an app still deploys it (409). */
export async function deleteTemplate(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const before = await deleteResource<TemplateRow>(tx, templates, eq(templates.tenantId, tenantId), name, pre);
    if (!before) return undefined;
    const users = await appsUsing(tx, tenantId, name);
    if (users.length > 0) {
      throw new ApiError(409, 'in_use', `template "${name}" is deployed by app(s) ${users.join(', ')}; change or delete them first`);
    }
    await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'template', name, before });
    return before;
  });
}
