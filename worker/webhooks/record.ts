import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookDeliveries } from '../../db/schema/index.js';
import type { AttemptOutcome } from './attempt.js';
import type { ClaimedDelivery } from './claim.js';
import { retryAt } from './schedule.js';

/** Attempts a webhook's status shows; older ones are deleted as new ones come. */
export const KEPT_ATTEMPTS = 20;

/**
 * After an attempt, outside of which no transaction was open: the delivery is
 * done (delivered, or given up after the last retry) and leaves the outbox, or
 * waits for its next retry; either way the attempt is logged. A sender whose
 * lease ran out meanwhile (another took the row over) changes only the log.
 */
export async function recordAttempt(db: Db, d: ClaimedDelivery, outcome: AttemptOutcome, at: Date, now: Date) {
  const next = outcome.delivered ? undefined : retryAt(d.attempt, now);
  const error = outcome.error && !next && !outcome.delivered ? `${outcome.error}; given up after ${d.attempt} attempts` : outcome.error;
  const held = and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.leasedUntil, d.leasedUntil));
  await db.transaction(async (tx) => {
    if (next) await tx.update(webhookDeliveries).set({ attempts: d.attempt, dueAt: next, leasedUntil: null }).where(held);
    else await tx.delete(webhookDeliveries).where(held);
    // the webhook may have been deleted while its message was on the way
    await tx.execute(sql`
      insert into webhook_attempts (webhook_uid, delivery_id, type, attempt, status_code, error, at)
      select uid, ${d.id}, ${d.type}, ${d.attempt}, ${outcome.statusCode}, ${error ?? null}, ${at.toISOString()}::timestamptz
      from webhooks where uid = ${d.webhookUid}`);
    await tx.execute(sql`
      delete from webhook_attempts where webhook_uid = ${d.webhookUid} and id < (
        select id from webhook_attempts where webhook_uid = ${d.webhookUid} order by id desc offset ${KEPT_ATTEMPTS - 1} limit 1)`);
  });
}
