import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

/**
 * API tokens. Only the SHA-256 of the secret is kept; `name` is the public id.
 * Revoking deletes the row, so the next lookup by hash finds nothing.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    ...resourceColumns(),
    tenantId: tenantRef(),
    secretHash: text('secret_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    uniqueIndex('api_tokens_tenant_name_key').on(t.tenantId, t.name),
    uniqueIndex('api_tokens_secret_hash_key').on(t.secretHash),
  ],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
