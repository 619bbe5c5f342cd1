import { openNeon } from '../../db/neon.js';
import { parseEnv } from '../env.js';
import { workersDatabaseUrl } from '../workers-database.js';
import type { ScheduledRun } from './job.js';
import { runScheduledWork } from './run.js';
import { JOBS } from './jobs.js';
import { DurablePush } from '../push/durable-push.js';
import type { DurableObjectNamespace } from '../push/workers-types.js';

/** The slices of the Workers runtime types a scheduled handler uses (no global workers-types, so Node typechecks too). */
export interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
}
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * One cron-triggered run on Workers, on a Neon connection of its own that
 * ends with it, as a request's does.
 */
export async function scheduledOnWorkers(env: Record<string, unknown>, now: Date, ctx: ExecutionContext): Promise<ScheduledRun> {
  const { db, pool } = openNeon(workersDatabaseUrl(parseEnv(env)));
  try {
    const push = new DurablePush(env.PUSH_HUB as DurableObjectNamespace);
    return await runScheduledWork(db, now, JOBS, (p) => push.publish(p));
  } finally {
    ctx.waitUntil(pool.end());
  }
}
