import type { Context } from 'hono';

interface NodeOutgoing {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}

/**
 * Sets a header of the answer. On Node it goes straight onto the HTTP
 * response, which merges it with the answer's own: a header set through Hono
 * turns the answer's plain header object into a Fetch `Headers`, which
 * @hono/node-server then copies back, about 4 µs of a 40 µs GET. Elsewhere
 * (workerd, `app.request` in tests) it is set through Hono.
 */
export function setResponseHeader(c: Context, name: string, value: string) {
  const outgoing = (c.env as { outgoing?: Partial<NodeOutgoing> } | undefined)?.outgoing;
  if (typeof outgoing?.setHeader === 'function' && outgoing.headersSent === false) outgoing.setHeader(name, value);
  else c.header(name, value);
}
