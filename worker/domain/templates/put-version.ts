import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { templates, templateVersions, type TemplateVersionRow } from '../../../db/schema/index.js';
import { jsonEqual } from '../../lib/json-equal.js';
import { checkWritePreconditions, type Preconditions } from '../../lib/preconditions.js';
import { ApiError, notFound } from '../../lib/problem.js';
import type { PutInput } from '../../lib/resource-store.js';
import { recordAudit, type Actor } from '../audit.js';

/**
 * Stores a template version once. Versions are immutable, so apps pinned to one
 * render the same forever: the same content again is a 200 that changes
 * nothing, different content under the same version is a 409.
 */
export async function putTemplateVersion(
  db: Db, actor: Actor, tenantId: string, template: string, input: PutInput, pre: Preconditions,
): Promise<{ row: TemplateVersionRow; created: boolean }> {
  return db.transaction(async (tx) => {
    const [parent] = await tx.select().from(templates).where(and(eq(templates.tenantId, tenantId), eq(templates.name, template))).for('share');
    if (!parent) throw notFound('template', template);
    const existing = async () =>
      (await tx.select().from(templateVersions)
        .where(and(eq(templateVersions.templateUid, parent.uid), eq(templateVersions.name, input.name))))[0];
    let before = await existing();
    checkWritePreconditions(pre, before);
    if (!before) {
      const [row] = await tx.insert(templateVersions)
        .values({ tenantId, templateUid: parent.uid, name: input.name, labels: input.labels, spec: input.spec })
        .onConflictDoNothing()
        .returning();
      if (row) {
        await recordAudit(tx, actor, { tenantId, action: 'create', kind: 'templateversion', name: `${template}@${input.name}`, after: row });
        return { row, created: true };
      }
      before = (await existing())!; // a concurrent PUT of the same version won
    }
    if (!jsonEqual(before.spec, input.spec) || !jsonEqual(before.labels, input.labels)) {
      throw new ApiError(409, 'immutable', `version ${input.name} of template "${template}" exists with other content; versions are immutable, publish a new version`);
    }
    return { row: before, created: false };
  });
}
