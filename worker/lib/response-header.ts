import type { Context } from 'hono';

interface NodeOutgoing {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}

/** The Node HTTP response each request from the socket is answered on, by the request itself. */
const outgoingOf = new WeakMap<Request, NodeOutgoing>();

/**
 * Node's server: `req` is answered on `outgoing`. Keyed by the request, not
 * taken from the context's env: the console calls the API in-process with
 * its own env, and the inner answer's headers must not land on the page's.
 */
export function answeredOn(req: Request, outgoing: NodeOutgoing) {
  outgoingOf.set(req, outgoing);
}

/**
 * Sets a header of the answer. On Node it goes straight onto the HTTP
 * response, which merges it with the answer's own: a header set through Hono
 * turns the answer's plain header object into a Fetch `Headers`, which
 * @hono/node-server then copies back, about 4 µs of a 40 µs GET. Otherwise
 * (workerd, a request made in-process) it is set through Hono.
 */
export function setResponseHeader(c: Context, name: string, value: string) {
  const outgoing = outgoingOf.get(c.req.raw);
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
