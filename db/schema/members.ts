import { pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

/** A member's `name` is the OIDC subject; `spec.role` is their role in the tenant. */
export const members = pgTable(
  'members',
  {
    ...resourceColumns(),
    tenantId: tenantRef(),
  },
  (t) => [uniqueIndex('members_tenant_name_key').on(t.tenantId, t.name)],
);

export type MemberRow = typeof members.$inferSelect;
