/**
 * When a failed delivery is tried again (API.md): about 1 s, 5 s, 30 s, 2 min
 * and 10 min after the attempts before, then it is given up.
 */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;

/** The first attempt and its retries. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** An answer is awaited this long, then the attempt counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * How long a claimed delivery belongs to its sender: well past the attempt
 * timeout, so a row is taken over only from a sender that died or hung.
 */
export const LEASE_MS = 30_000;

/** Deliveries of one tenant claimed at a time: one tenant's backlog or slow receiver never fills a round. */
export const PER_TENANT = 10;

/** When the delivery after `attempt` failed attempts is due, or undefined when there is none. */
export function retryAt(attempt: number, now: Date): Date | undefined {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  return delay === undefined ? undefined : new Date(now.getTime() + delay);
}
