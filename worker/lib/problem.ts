import type { Context } from 'hono';

export interface FieldError {
  /** RFC 6901 pointer into the part of the request named by `in`. */
  pointer: string;
  in?: 'body' | 'query' | 'path' | 'header';
  message: string;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Every error the API returns (RFC 9457). Thrown anywhere, rendered by one handler. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export const notFound = (kind: string, name: string) =>
  new ApiError(404, 'not_found', `${kind} "${name}" not found`);

export const forbidden = (detail: string) => new ApiError(403, 'forbidden', detail);

export const unauthorized = (detail: string) =>
  new ApiError(401, 'unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });

export const invalid = (errors: FieldError[], detail = 'the request is invalid') =>
  new ApiError(400, 'invalid', detail, errors);

export function problemBody(err: ApiError, requestId: string) {
  return {
    type: `https://fleetplane.dev/problems/${err.code}`,
    title: titles[err.status] ?? 'Error',
    status: err.status,
    detail: err.detail,
    code: err.code,
    requestId,
    ...(err.errors?.length ? { errors: err.errors } : {}),
  };
}

export function problemResponse(c: Context, err: ApiError) {
  return problemResponseFor(c.get('requestId') ?? 'unknown', err);
}

export function problemResponseFor(requestId: string, err: ApiError) {
  const body = JSON.stringify(problemBody(err, requestId));
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId });
  for (const [k, v] of Object.entries(err.headers ?? {})) headers.set(k, v);
  return new Response(body, { status: err.status, headers });
}
