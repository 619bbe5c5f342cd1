import { HTTPException } from 'hono/http-exception';
import { isDatabaseUnavailable } from './db-errors.js';
import { ApiError, problemResponseFor } from './problem.js';

/** What a request that needs the database gets while it cannot be reached. */
export const databaseUnavailable = () =>
  new ApiError(503, 'unavailable', 'the database cannot be reached; retry shortly', undefined, { 'Retry-After': '5' });

/** The app's answer to an error a request ran into: a problem, and a log line quoting the request's id for a 500. */
export function errorResponse(err: unknown, requestId: string): Response {
  if (err instanceof ApiError) return problemResponseFor(requestId, err);
  if (err instanceof HTTPException && err.status < 500) {
    // e.g. a body that is not JSON, or the wrong Content-Type
    const code = err.status === 415 ? 'unsupported_media_type' : 'bad_request';
    return problemResponseFor(requestId, new ApiError(err.status, code, err.message || 'the request could not be read', [
      { pointer: '', in: 'body', message: err.message || 'the body could not be parsed' },
    ]));
  }
  if (isDatabaseUnavailable(err)) return problemResponseFor(requestId, databaseUnavailable());
  console.error(`[${requestId}]`, err);
  return problemResponseFor(requestId, new ApiError(500, 'internal', 'an internal error occurred; quote the requestId when reporting it'));
}
