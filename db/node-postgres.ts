import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { schema, type Db } from './client.js';
import { migrationsFolder } from './migrations-folder.js';
import { releaseWhenLost } from './checked-out.js';
import { CONNECT_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS, queryTimeouts } from './query-limits.js';

/** `queryTimeoutMs`: each statement's time limit (see query-limits.ts; 0: none). */
export function openNodePostgres(url: string, max = 10, queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS) {
  // A request waits at most 5 s for a connection: past that the pool is behind
  // (a burst, or Postgres gone) and a 503 with Retry-After sheds the load, where an
  // unbounded queue kept a 10,000-connector reconnect storm waiting past its timeouts.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...queryTimeouts(queryTimeoutMs) });
  pool.on('error', () => {}); // an idle client dropped by the server; the pool replaces it
  // A client checked out for a transaction has no listener of the pool's: Postgres
  // stopping between two of its statements emitted an unhandled 'error' and ended
  // the process. The statement in flight fails anyway (a 503); the pool drops the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  releaseWhenLost(pool as never);
  const d = drizzle(pool, { schema });
  return { pool, db: d as unknown as Db, migrate: () => migrateUnlimited(url) };
}

/**
 * Migrations on a connection of their own, with no time limit: rebuilding an
 * index of a large table may take minutes. Also none where the role has one
 * (DEPLOY.md, for Neon): the pool runs the SET before it hands the connection out.
 */
async function migrateUnlimited(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1, onConnect: (client) => client.query('set statement_timeout = 0') as never });
  try {
    await migrate(drizzle(pool), { migrationsFolder });
  } finally {
    await pool.end();
  }
}
