import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clusters } from './clusters.js';

/** Single-use secrets that let a connector register a cluster; only hashes are kept. */
export const joinTokens = pgTable(
  'join_tokens',
  {
    secretHash: text('secret_hash').primaryKey(),
    clusterUid: uuid('cluster_uid')
      .notNull()
      .references(() => clusters.uid, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
  },
  (t) => [index('join_tokens_cluster_uid_idx').on(t.clusterUid)],
);
