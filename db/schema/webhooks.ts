import { pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

/**
 * A tenant's webhook: `spec` holds `url`, `events` and the signing `secret`
 * (kept in the spec so that a changed secret is a changed spec, with a new
 * generation, like any other field); answers leave the secret out.
 */
export const webhooks = pgTable(
  'webhooks',
  { ...resourceColumns(), tenantId: tenantRef() },
  (t) => [uniqueIndex('webhooks_tenant_name_key').on(t.tenantId, t.name)],
);

export type WebhookRow = typeof webhooks.$inferSelect;
