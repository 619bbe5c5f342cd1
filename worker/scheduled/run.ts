import type { Db } from '../../db/client.js';
import type { JobOutcome, ScheduledJob, ScheduledRun } from './job.js';
import { JOBS } from './jobs.js';
import { tryScheduledWorkLock } from './once.js';

/**
 * One scheduled run: every job, once across replicas. Each job runs in a
 * savepoint, so a failing one is logged and undone while the others go on
 * (a failed statement would otherwise abort the whole transaction).
 */
export async function runScheduledWork(db: Db, now: Date, jobs: readonly ScheduledJob[] = JOBS): Promise<ScheduledRun> {
  return db.transaction(async (tx): Promise<ScheduledRun> => {
    if (!(await tryScheduledWorkLock(tx))) return { skipped: true };
    const outcomes: Record<string, JobOutcome> = {};
    for (const job of jobs) {
      try {
        outcomes[job.name] = await tx.transaction((savepoint) => job.run(savepoint, now));
      } catch (err) {
        console.error(`scheduled job ${job.name} failed:`, err);
        outcomes[job.name] = 'failed';
      }
    }
    return { skipped: false, jobs: outcomes };
  });
}
