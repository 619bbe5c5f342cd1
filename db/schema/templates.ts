import { pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

/** A tenant's app template: a name, a description and its versions. */
export const templates = pgTable(
  'templates',
  { ...resourceColumns(), tenantId: tenantRef() },
  (t) => [uniqueIndex('templates_tenant_name_key').on(t.tenantId, t.name)],
);

/**
 * One immutable version of a template (`name` is the semver version); its spec
 * holds the parameter schema and the manifests. Deleting the template deletes them.
 */
export const templateVersions = pgTable(
  'template_versions',
  {
    ...resourceColumns(),
    tenantId: tenantRef(),
    templateUid: uuid('template_uid')
      .notNull()
      .references(() => templates.uid, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('template_versions_template_name_key').on(t.templateUid, t.name)],
);

export type TemplateRow = typeof templates.$inferSelect;
export type TemplateVersionRow = typeof templateVersions.$inferSelect;
