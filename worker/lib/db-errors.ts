/** Postgres SQLSTATE classes 08 (connection) and 57P (shutdown), and socket errors. */
const UNAVAILABLE_CODES = /^(08\d{3}|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/;

/** Whether an error means "the database cannot be reached" (503) rather than a bug (500). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.test(e.code)) return true;
    if (typeof e.message === 'string' && /connection (terminated|lost|refused)|network connection lost|connection error and is not queryable|timeout exceeded when trying to connect|all attempts to open a websocket to connect to the database failed/i.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}
