/**
 * Time limits on statements, so that no request waits on the database without
 * end. Postgres cancels a statement that runs, or waits for a lock, longer
 * than `statement_timeout` (SQLSTATE 57014). The driver gives up on a
 * statement whose answer has not come a little after that: a Postgres, or a
 * path to it, that stopped answering mid-statement held the request until the
 * socket closed, since only opening a connection was bounded.
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** How much longer than Postgres's own limit the driver waits: Postgres's cancel, when it comes, is the clearer answer. */
const DRIVER_GRACE_MS = 2_000;

/** How long a pool waits to open a connection, or for one to come free. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** The longest a statement can keep its caller waiting under a limit of `ms` (0: none, so no bound). */
export const driverLimitMs = (ms: number) => (ms === 0 ? Number.POSITIVE_INFINITY : ms + DRIVER_GRACE_MS);

/** The driver's message when it gave up waiting (node-postgres and the Neon driver alike). */
export const READ_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * Pool settings for a limit of `ms` (0: none). `server: false` where startup
 * parameters cannot be sent (a pooler such as Neon's PgBouncer refuses them):
 * the driver's limit only, and the role's `statement_timeout` set in Postgres.
 */
export function queryTimeouts(ms: number, server = true): { statement_timeout?: number; query_timeout?: number } {
  if (ms === 0) return {};
  return { ...(server ? { statement_timeout: ms } : {}), query_timeout: driverLimitMs(ms) };
}
