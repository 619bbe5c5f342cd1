import { bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** What happened to objects over time: cluster and app phase changes, drift, rollout steps. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    objectKind: text('object_kind').notNull(),
    objectName: text('object_name').notNull(),
    objectUid: uuid('object_uid').notNull(),
    reason: text('reason').notNull(),
    fromPhase: text('from_phase'),
    toPhase: text('to_phase'),
    message: text('message').notNull().default(''),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('events_tenant_id_idx').on(t.tenantId, t.id),
    // GET .../events?kind=&object=: one object's history without reading the tenant's
    index('events_tenant_object_idx').on(t.tenantId, t.objectKind, t.objectName, t.id),
  ],
);

export type EventRow = typeof events.$inferSelect;
