import { HTTPException } from 'hono/http-exception';
import { databaseFailure } from './db-errors.js';
import { ApiError, problemResponseFor } from './problem.js';

/** What a request that needs the database gets while it cannot be reached, or when a statement went past its time limit. */
export const databaseUnavailable = (why: 'unreachable' | 'timeout' = 'unreachable') => new ApiError(503, 'unavailable',
  why === 'timeout' ? 'the database did not answer within its time limit; retry shortly' : 'the database cannot be reached; retry shortly',
  undefined, { 'Retry-After': '5' });

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
  const failure = databaseFailure(err);
  if (failure) return problemResponseFor(requestId, databaseUnavailable(failure));
  console.error(`[${requestId}]`, err);
  return problemResponseFor(requestId, new ApiError(500, 'internal', 'an internal error occurred; quote the requestId when reporting it'));
}
