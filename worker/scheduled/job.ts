import type { Db } from '../../db/client.js';
import type { FeedNotes } from '../push/feed.js';
import type { Publication } from '../push/push.js';

/**
 * Periodic work. `run` gets the run's transaction, under the lock that keeps
 * replicas from running it twice: keep it short and bounded, and make no calls
 * out of the process while holding it.
 */
export interface ScheduledJob {
  name: string;
  /**
   * Answers how many items it handled. Desired revisions it moved go in
   * `pushes`: they are announced once the run commits, as are the changes
   * noted in `feed` (for the console's live pages).
   */
  run(db: Db, now: Date, pushes: Publication[], feed?: FeedNotes): Promise<number>;
}

export type JobOutcome = number | 'failed';

/** `skipped`: another replica held the lock, so this run did nothing. */
export type ScheduledRun = { skipped: true } | { skipped: false; jobs: Record<string, JobOutcome> };
