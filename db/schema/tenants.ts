import { pgSequence, pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';

export const resourceVersionSeq = pgSequence('resource_version_seq');

export const tenants = pgTable('tenants', resourceColumns(), (t) => [
  uniqueIndex('tenants_name_key').on(t.name),
]);

export type TenantRow = typeof tenants.$inferSelect;
