import { useFetchWebSockets, useLocalWsProxy } from '../db/neon.js';
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
