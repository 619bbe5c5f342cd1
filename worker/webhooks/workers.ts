import { openNeon } from '../../db/neon.js';
import type { ClaimOptions } from './claim.js';
import { deliverDue, type Round } from './deliver.js';
import { fetchTransport } from './transport.js';

export interface WorkersWebhooks {
  databaseUrl: string;
  queryTimeoutMs: number;
  allowPrivate: boolean;
  now: () => Date;
}

/**
 * One round of deliveries on Workers, on a Neon connection of its own (the
 * request's is closed by then): after a request that enqueued some, and on
 * every cron run, which is when retries go out there (a minute's granularity:
 * there is no resident process to wake a second later). Workers have no DNS
 * API, so only IP literals and `localhost` names are checked there.
 */
export async function deliverOnWorkers(w: WorkersWebhooks, o: ClaimOptions = {}): Promise<Round> {
  const { db, pool } = openNeon(w.databaseUrl, 1, w.queryTimeoutMs);
  try {
    return await deliverDue({ db, now: w.now, policy: { allowPrivate: w.allowPrivate, resolve: undefined }, transport: fetchTransport }, o);
  } finally {
    await pool.end();
  }
}
