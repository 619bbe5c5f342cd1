/**
 * Admission control on Node: past `max` requests in progress (long polls not
 * counted: they wait by design), a request is answered 503 with Retry-After at
 * once, before any credential is checked or connection taken. A fleet of
 * connectors reconnecting together otherwise queued its heartbeats in the
 * process until they outlasted the connectors' timeouts. Retry-After is spread
 * over a few seconds so the shed requests do not all return together.
 */
export const MAX_INFLIGHT = 256;

export const isLongPoll = (req: Request) => new URL(req.url).pathname === '/v1/connector/watch';

export function overloaded(random: () => number = Math.random): Response {
  const retry = 2 + Math.floor(random() * 9);
  return Response.json(
    { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'too many requests in progress; retry later', code: 'overloaded', errors: [] },
    { status: 503, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': String(retry) } },
  );
}
