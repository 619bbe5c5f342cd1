import { openNeon, useFetchWebSockets, useLocalWsProxy } from '../../db/neon.js';
import { ConfigError, parseEnv } from '../env.js';
import type { ScheduledRun } from './job.js';
import { runScheduledWork } from './run.js';

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
  const config = parseEnv(env);
  if (!config.databaseUrl) throw new ConfigError('invalid environment:\n  DATABASE_URL: required on Workers');
  if (config.neonWsProxy) useLocalWsProxy(config.neonWsProxy);
  useFetchWebSockets();
  const { db, pool } = openNeon(config.databaseUrl);
  try {
    return await runScheduledWork(db, now);
  } finally {
    ctx.waitUntil(pool.end());
  }
}
