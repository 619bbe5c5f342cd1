import type { Db } from '../../db/client.js';

/**
 * Periodic work. `run` gets the run's transaction, under the lock that keeps
 * replicas from running it twice: keep it short and bounded, and make no calls
 * out of the process while holding it.
 */
export interface ScheduledJob {
  name: string;
  /** answers how many items it handled */
  run(db: Db, now: Date): Promise<number>;
}

export type JobOutcome = number | 'failed';

/** `skipped`: another replica held the lock, so this run did nothing. */
export type ScheduledRun = { skipped: true } | { skipped: false; jobs: Record<string, JobOutcome> };
