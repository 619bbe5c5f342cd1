import type { Context } from 'hono';

interface NodeOutgoing {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}

/** Where the Node server notes, on a request from its socket, the HTTP response that answers it. */
const OUTGOING = Symbol('outgoing');
type Answered = Request & { [OUTGOING]?: NodeOutgoing };

/**
 * Node's server: `req` is answered on `outgoing`. Noted on the request, not
 * taken from the context's env: the console calls the API in-process with
 * its own env, and the inner answer's headers must not land on the page's.
 * A property, not a WeakMap: one entry per request made the idle poll's
 * garbage collection three times as costly (18% of busy time, 27,000 polls a
 * second instead of 35,000 in bench:profile).
 */
export function answeredOn(req: Request, outgoing: NodeOutgoing) {
  (req as Answered)[OUTGOING] = outgoing;
}

/**
 * Sets a header of the answer. On Node it goes straight onto the HTTP
 * response, which merges it with the answer's own: a header set through Hono
 * turns the answer's plain header object into a Fetch `Headers`, which
 * @hono/node-server then copies back, about 4 µs of a 40 µs GET. Otherwise
 * (workerd, a request made in-process) it is set through Hono.
 */
export function setResponseHeader(c: Context, name: string, value: string) {
  const outgoing = (c.req.raw as Answered)[OUTGOING];
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
