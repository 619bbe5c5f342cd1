import { READ_TIMEOUT_MESSAGE } from '../../db/query-limits.js';

/** Postgres SQLSTATE classes 08 (connection) and 57P (shutdown), and socket errors. */
const UNREACHABLE_CODES = /^(08\d{3}|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/;
const UNREACHABLE_MESSAGES = /connection (terminated|lost|refused)|network connection lost|connection error and is not queryable|timeout exceeded when trying to connect|all attempts to open a websocket to connect to the database failed/i;
/** query_canceled: Postgres's statement_timeout (see db/query-limits.ts) */
const CANCELED = '57014';

/**
 * Why a request could not be served by the database, when that is the
 * database's state and not a bug: it cannot be reached, or a statement went
 * past its time limit (Postgres cancelled it, or the driver stopped waiting).
 */
export function databaseFailure(err: unknown): 'unreachable' | 'timeout' | undefined {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === CANCELED || e.message === READ_TIMEOUT_MESSAGE) return 'timeout';
    if (typeof e.code === 'string' && UNREACHABLE_CODES.test(e.code)) return 'unreachable';
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.test(e.message)) return 'unreachable';
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Whether an error means the database cannot serve the request now (503) rather than a bug (500). */
export const isDatabaseUnavailable = (err: unknown) => databaseFailure(err) !== undefined;
