import type { Hono } from 'hono';
import type { ConsoleEnv } from '../context.js';

/**
 * The tab's live feed (Server-Sent Events): the signed-in member's tenant
 * only, from the push path that wakes connectors (this process and
 * LISTEN/NOTIFY on Node, the tenant's Durable Object on Workers).
 */
export function mountLive(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/live', async (c) => {
    const res = await c.get('deps').push.feed(c.get('console').tenantUid, c.req.raw.signal);
    // a Durable Object's answer has immutable headers; the console's own are added to a copy
    return new Response(res.body, { status: res.status, headers: new Headers(res.headers) });
  });
}
