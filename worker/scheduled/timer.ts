import type { Db } from '../../db/client.js';
import type { Push } from '../push/push.js';
import { trackEnqueued } from '../webhooks/enqueued.js';
import type { ScheduledJob } from './job.js';
import { runScheduledWork } from './run.js';

export interface ScheduledTimerOptions {
  /** between the end of one run and the start of the next; 60 s, as the Workers cron */
  everyMs?: number;
  jobs?: readonly ScheduledJob[];
  /** announces the desired revisions a run moved (a rollout's next wave), and the changes to the console */
  push?: Pick<Push, 'publish' | 'announce'>;
  /** after a run whose events enqueued webhook deliveries (committed by then) */
  onEnqueued?: (tenantIds: string[]) => void;
}

const EVERY_MS = 60_000;
// soon after start, but not in the middle of a start that is still warming up
const FIRST_AFTER_MS = 5_000;

/**
 * Node's stand-in for the Workers cron trigger. Every replica keeps one; the
 * run's lock lets one of them do the work. `stop` waits for a run in progress.
 */
export function startScheduledTimer(db: Db, opts: ScheduledTimerOptions = {}) {
  const every = opts.everyMs ?? EVERY_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref(); // never what keeps the process alive
  };
  const tick = () => {
    running = trackEnqueued(() => runScheduledWork(db, new Date(), opts.jobs, opts.push))
      .then(({ result: run, enqueued, tenants }) => {
        if (enqueued) opts.onEnqueued?.(tenants);
        // a line only when something was done: one a minute per replica would drown the log
        if (!run.skipped && Object.values(run.jobs).some((n) => n !== 0)) console.log(JSON.stringify({ scheduled: run.jobs }));
      })
      .catch((err) => console.error('scheduled work failed:', err))
      .finally(() => {
        running = undefined;
        if (!stopped) schedule(every);
      });
  };
  schedule(Math.min(FIRST_AFTER_MS, every));
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
