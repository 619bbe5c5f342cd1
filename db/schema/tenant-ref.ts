import { uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.js';

/** The owning tenant of a tenant-scoped row; deleting the tenant deletes the row. */
export const tenantRef = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.uid, { onDelete: 'cascade' });
