import type { Db } from '../../db/client.js';
import { FeedNotes } from '../push/feed.js';
import type { Publication, Push } from '../push/push.js';
import type { JobOutcome, ScheduledJob, ScheduledRun } from './job.js';
import { JOBS } from './jobs.js';
import { tryScheduledWorkLock } from './once.js';

/**
 * One scheduled run: every job, once across replicas. Each job runs in a
 * savepoint, so a failing one is logged and undone while the others go on
 * (a failed statement would otherwise abort the whole transaction). What the
 * jobs moved is published after the commit, and the console's tabs are told.
 */
export async function runScheduledWork(
  db: Db, now: Date, jobs: readonly ScheduledJob[] = JOBS, push?: Pick<Push, 'publish' | 'announce'>,
): Promise<ScheduledRun> {
  const pushes: Publication[] = [];
  const feed = new FeedNotes();
  const run = await db.transaction(async (tx): Promise<ScheduledRun> => {
    if (!(await tryScheduledWorkLock(tx))) return { skipped: true };
    const outcomes: Record<string, JobOutcome> = {};
    for (const job of jobs) {
      const mark = pushes.length;
      try {
        outcomes[job.name] = await tx.transaction((savepoint) => job.run(savepoint, now, pushes, feed));
      } catch (err) {
        console.error(`scheduled job ${job.name} failed:`, err);
        outcomes[job.name] = 'failed';
        pushes.length = mark; // undone with its savepoint
      }
    }
    return { skipped: false, jobs: outcomes };
  });
  if (push && pushes.length > 0) await push.publish(pushes);
  for (const p of pushes) feed.note(p.target.tenantUid, 'App');
  if (push) await feed.announce((t, kinds) => push.announce(t, kinds));
  return run;
}
