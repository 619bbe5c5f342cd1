import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantRef } from './tenant-ref.js';
import { webhooks } from './webhooks.js';

/**
 * The webhook outbox: one row per (event, webhook) until it is delivered or
 * given up, written in the transaction that records the event. The body and
 * the `webhook-id` (`id`) are fixed when the row is written, so every attempt,
 * by whichever replica and after any restart, sends the same message.
 * A sender claims a row by setting `leased_until`; another may take it only
 * once that has passed.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: tenantRef(),
    webhookUid: uuid('webhook_uid')
      .notNull()
      .references(() => webhooks.uid, { onDelete: 'cascade' }),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    body: text('body').notNull(),
    /** attempts made so far */
    attempts: integer('attempts').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
    leasedUntil: timestamp('leased_until', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.dueAt)],
);

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
