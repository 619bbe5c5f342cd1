import { bigserial, index, integer, json, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Who changed what, written in the same transaction as the change.
 * No foreign key to tenants: the record of a tenant's deletion outlives it.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    actor: json('actor').$type<{ kind: string; id: string }>().notNull(),
    action: text('action').notNull(),
    objectKind: text('object_kind').notNull(),
    objectName: text('object_name').notNull(),
    beforeGeneration: integer('before_generation'),
    afterGeneration: integer('after_generation'),
    requestId: text('request_id').notNull(),
    /** a request the cluster gateway carried: its verb, path and the cluster's answer */
    request: json('request').$type<{ verb: string; path: string; status: number }>(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('audit_events_tenant_id_idx').on(t.tenantId, t.id)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
