import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { errorResponse } from './error-response.js';

const ANSWER = Symbol('parked answer');
type Parkable = Request & { [ANSWER]?: () => Promise<Response> };
const PLACEHOLDER = 202;

/**
 * A long wait answered after the middleware chain has returned. A held watch
 * otherwise keeps every middleware's frame (each awaiting `next()`) and Hono's
 * context alive for as long as it waits, up to 30 s (bench:watch-memory). The
 * route returns this placeholder once the request is authorised and its wait
 * begun, and the host (`unpark`) answers with what `answer` resolves to, its
 * errors answered as the app's error handler answers them. Only where
 * `deps.parks` says the host unparks; `answer` must not hold the context, so
 * build it in a function that is not given it.
 *
 * Noted on the Fetch request, not the placeholder: Hono copies a route's
 * response into a new one when a middleware has touched `c.res` before.
 */
export function park(c: Context<AppEnv>, answer: () => Promise<Response>): Response {
  const requestId = c.get('requestId');
  (c.req.raw as Parkable)[ANSWER] = () => answer().catch((err: unknown) => errorResponse(err, requestId));
  return c.body(null, PLACEHOLDER);
}

/**
 * The host's side, given the request it passed to the app and the app's
 * response: a parked request's answer, carrying the headers the middleware
 * set on the placeholder; any other response as it is.
 */
export async function unpark(req: Request, res: Response): Promise<Response> {
  const answer = (req as Parkable)[ANSWER];
  if (!answer || res.status !== PLACEHOLDER) return res;
  const real = await answer();
  for (const [name, value] of res.headers) {
    if (name !== 'content-type' && name !== 'content-length' && !real.headers.has(name)) real.headers.set(name, value);
  }
  return real;
}
