import { openNeon } from '../../db/neon.js';
import { parseEnv } from '../env.js';
import type { Round } from '../webhooks/deliver.js';
import { deliverOnWorkers } from '../webhooks/workers.js';
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
 * ends with it, as a request's does; then the webhook deliveries that are due
 * (those the run just enqueued, and retries), outside the run's lock and
 * transaction since they wait on receivers.
 */
export async function scheduledOnWorkers(
  env: Record<string, unknown>, now: Date, ctx: ExecutionContext,
): Promise<ScheduledRun & { webhooks?: Round }> {
  const config = parseEnv(env);
  const databaseUrl = workersDatabaseUrl(config);
  const { db, pool } = openNeon(databaseUrl, 1, config.queryTimeoutMs);
  let run: ScheduledRun;
  try {
    const push = new DurablePush(env.PUSH_HUB as DurableObjectNamespace);
    run = await runScheduledWork(db, now, JOBS, push);
  } finally {
    ctx.waitUntil(pool.end());
  }
  const webhooks = await deliverOnWorkers({ databaseUrl, queryTimeoutMs: config.queryTimeoutMs, allowPrivate: config.webhookAllowPrivate, now: () => now })
    .catch((err) => void console.error('webhook deliveries failed:', err));
  return webhooks ? { ...run, webhooks } : run;
}
