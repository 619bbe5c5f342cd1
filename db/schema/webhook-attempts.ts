import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { webhooks } from './webhooks.js';

/** Each attempt to deliver a webhook message; the newest 20 per webhook are kept (its `status.deliveries`). */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    webhookUid: uuid('webhook_uid')
      .notNull()
      .references(() => webhooks.uid, { onDelete: 'cascade' }),
    /** the message's `webhook-id` */
    deliveryId: text('delivery_id').notNull(),
    type: text('type').notNull(),
    attempt: integer('attempt').notNull(),
    /** null when no answer came (refused address, network error, timeout) */
    statusCode: integer('status_code'),
    error: text('error'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('webhook_attempts_webhook_idx').on(t.webhookUid, t.id)],
);

export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
