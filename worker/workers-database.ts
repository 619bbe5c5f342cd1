import { openNeon, useFetchWebSockets, useLocalWsProxy } from '../db/neon.js';
import { ConfigError, type Config } from './env.js';

/**
 * The Neon database of a Workers env, for requests and cron runs alike: its URL
 * (required there), with the driver set up for workerd (sockets opened with
 * `fetch`; the local pipe when FLEETPLANE_NEON_WS_PROXY names one).
 */
export function workersDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) throw new ConfigError('invalid environment:\n  DATABASE_URL: required on Workers');
  if (config.neonWsProxy) useLocalWsProxy(config.neonWsProxy);
  useFetchWebSockets();
  return config.databaseUrl;
}

/** A pool of `max` connections on the Workers env's database, with its statement time limit (a Durable Object's). */
export const openWorkersDatabase = (config: Config, max: number) => openNeon(workersDatabaseUrl(config), max, config.queryTimeoutMs);
