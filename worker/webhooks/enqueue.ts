import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookDeliveries, webhooks, type EventRow } from '../../db/schema/index.js';
import { eventView } from '../domain/events.js';
import { noteEnqueued } from './enqueued.js';
import { deliveryBody } from './payload.js';

/** The `webhook-id` of a message: fixed when it is written, the same on every attempt. */
const messageId = () => `msg_${crypto.randomUUID().replaceAll('-', '')}`;

/** Whether a webhook wants events of this reason (no list, or an empty one: all). */
export const wants = (spec: Record<string, unknown>, reason: string) => {
  const events = spec.events as string[] | undefined;
  return !events?.length || events.includes(reason);
};

/**
 * One outbox row per recorded event and webhook of its tenant that wants it,
 * due when the event happened. Call in the transaction that records the events.
 */
export async function enqueueDeliveries(tx: Db, recorded: EventRow[]) {
  const tenantIds = [...new Set(recorded.map((e) => e.tenantId))];
  if (tenantIds.length === 0) return;
  const hooks = await tx
    .select({ uid: webhooks.uid, tenantId: webhooks.tenantId, spec: webhooks.spec })
    .from(webhooks)
    .where(inArray(webhooks.tenantId, tenantIds));
  const rows = recorded.flatMap((e) => {
    const body = deliveryBody(eventView(e));
    return hooks
      .filter((w) => w.tenantId === e.tenantId && wants(w.spec, e.reason))
      .map((w) => ({ id: messageId(), tenantId: e.tenantId, webhookUid: w.uid, eventId: e.id, type: e.reason, body, dueAt: e.at }));
  });
  if (rows.length === 0) return;
  await tx.insert(webhookDeliveries).values(rows);
  noteEnqueued(new Set(rows.map((r) => r.tenantId)));
}
