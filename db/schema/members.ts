import { pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenants } from './tenants.js';

/** A member's `name` is the OIDC subject; `spec.role` is their role in the tenant. */
export const members = pgTable(
  'members',
  {
    ...resourceColumns(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.uid, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('members_tenant_name_key').on(t.tenantId, t.name)],
);

export type MemberRow = typeof members.$inferSelect;
