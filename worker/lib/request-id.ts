import { createMiddleware } from 'hono/factory';
import { setResponseHeader } from './response-header.js';

const MAX_LENGTH = 255;
const UNSAFE = /[^\w\-=]/;

/**
 * Each request's id, as hono/request-id gives it (the caller's X-Request-Id
 * when it is short and plain, else a random UUID), answered in X-Request-Id
 * and quoted by problem bodies and logs. The header is set with
 * setResponseHeader, not Hono's c.header: every answer carries it.
 */
export const requestId = createMiddleware<{ Variables: { requestId: string } }>(async (c, next) => {
  let id = c.req.header('x-request-id');
  if (!id || id.length > MAX_LENGTH || UNSAFE.test(id)) id = crypto.randomUUID();
  c.set('requestId', id);
  setResponseHeader(c, 'X-Request-Id', id);
  await next();
});
