import { sql } from 'drizzle-orm';
import { bigint, integer, json, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Columns every API resource has (API.md "Resource shape").
 *
 * `labels` and `spec` are `json`, not `jsonb`: the contract promises values come
 * back exactly as written, and jsonb reorders keys. Label selectors cast to jsonb
 * in the query, where order does not matter.
 */
export const resourceColumns = () => ({
  uid: uuid('uid').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  labels: json('labels').$type<Record<string, string>>().notNull().default({}),
  spec: json('spec').$type<Record<string, unknown>>().notNull(),
  generation: integer('generation').notNull().default(1),
  // One sequence for every kind: a resourceVersion is never reused, not even
  // after delete and re-create, so a stale ETag can never match a new object.
  resourceVersion: bigint('resource_version', { mode: 'number' })
    .notNull()
    .default(sql`nextval('resource_version_seq')`),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

