import type { Db } from '../../db/client.js';
import { attemptDelivery, type AttemptOptions } from './attempt.js';
import { claimDue, type ClaimedDelivery, type ClaimOptions } from './claim.js';
import { recordAttempt } from './record.js';

/** What sending webhooks takes, wherever it runs. */
export interface Sender extends AttemptOptions {
  db: Db;
  now: () => Date;
}

/** Sends one claimed delivery and records how it went; answers whether it was delivered. */
export async function sendClaimed(s: Sender, d: ClaimedDelivery): Promise<boolean> {
  const at = s.now();
  const outcome = await attemptDelivery(d, s, at);
  await recordAttempt(s.db, d, outcome, at, s.now());
  return outcome.delivered;
}

export interface Round {
  delivered: number;
  failed: number;
}

/**
 * One round, as Workers run it (after a request, and from the cron trigger):
 * claim what is due, send it all at once, each bounded by the attempt timeout,
 * so one tenant's slow receiver holds up none of the others' deliveries.
 */
export async function deliverDue(s: Sender, o: ClaimOptions = {}): Promise<Round> {
  const claimed = await claimDue(s.db, s.now(), o);
  const results = await Promise.allSettled(claimed.map((d) => sendClaimed(s, d)));
  for (const r of results) if (r.status === 'rejected') console.error('webhook delivery could not be recorded:', r.reason);
  const delivered = results.filter((r) => r.status === 'fulfilled' && r.value).length;
  return { delivered, failed: results.length - delivered };
}
