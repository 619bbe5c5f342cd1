import { Pool, neonConfig, type PoolClient } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { schema, type Db } from './client.js';
import { releaseWhenLost } from './checked-out.js';
import { CONNECT_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS, queryTimeouts } from './query-limits.js';

/**
 * Points the Neon driver at a plain WebSocket-to-TCP pipe instead of Neon's
 * proxy (local development and tests): `host:port/path`, no TLS.
 */
export function useLocalWsProxy(proxy: string) {
  neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/**
 * In workerd, opens the driver's WebSockets with `fetch` (Upgrade: websocket)
 * rather than `new WebSocket()`. A `new WebSocket()` that cannot connect threw
 * "Network connection lost." outside any promise the request awaits: workerd
 * failed the whole request with a 500 before the 503 could be answered. The
 * driver tries `fetch` when the constructor throws, and reports a failed fetch
 * as an ordinary connection error.
 */
export function useFetchWebSockets() {
  neonConfig.webSocketConstructor = class {
    constructor() {
      throw new Error('open with fetch');
    }
  } as unknown as typeof WebSocket;
}

/**
 * `queryTimeoutMs`: the driver's limit on each statement (see query-limits.ts;
 * 0: none). Postgres's own is the role's `statement_timeout` (DEPLOY.md): Neon's
 * pooler refuses it as a startup parameter.
 */
export function openNeon(url: string, max = 1, queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS) {
  // a connection that cannot be opened within 5 s is a 503, not a request left hanging (as node-postgres)
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...queryTimeouts(queryTimeoutMs, false) });
  pool.on('error', () => {}); // "Network connection lost" after end()
  // The pool listens only to idle clients: Postgres going away while a request
  // holds its client (a transaction) threw an unhandled 'error'. The query fails (503).
  pool.on('connect', (client: PoolClient) => client.on('error', () => {}));
  releaseWhenLost(pool as never);
  return { pool, db: drizzle(pool, { schema }) as unknown as Db };
}
