import type { Db } from '../../db/client.js';
import type { Publication } from '../push/push.js';
import type { JobOutcome, ScheduledJob, ScheduledRun } from './job.js';
import { JOBS } from './jobs.js';
import { tryScheduledWorkLock } from './once.js';

/**
 * One scheduled run: every job, once across replicas. Each job runs in a
 * savepoint, so a failing one is logged and undone while the others go on
 * (a failed statement would otherwise abort the whole transaction). What the
 * jobs moved is published after the commit.
 */
export async function runScheduledWork(
  db: Db, now: Date, jobs: readonly ScheduledJob[] = JOBS, publish?: (pushes: Publication[]) => Promise<void>,
): Promise<ScheduledRun> {
  const pushes: Publication[] = [];
  const run = await db.transaction(async (tx): Promise<ScheduledRun> => {
    if (!(await tryScheduledWorkLock(tx))) return { skipped: true };
    const outcomes: Record<string, JobOutcome> = {};
    for (const job of jobs) {
      const mark = pushes.length;
      try {
        outcomes[job.name] = await tx.transaction((savepoint) => job.run(savepoint, now, pushes));
      } catch (err) {
        console.error(`scheduled job ${job.name} failed:`, err);
        outcomes[job.name] = 'failed';
        pushes.length = mark; // undone with its savepoint
      }
    }
    return { skipped: false, jobs: outcomes };
  });
  if (publish && pushes.length > 0) await publish(pushes);
  return run;
}
