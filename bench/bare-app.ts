import { Hono } from 'hono';

/** Where the bench's servers listen. */
export const HOST = '127.0.0.1';

/**
 * The baseline the bench measures Fleetplane's routes against: plain Hono.
 * `GET /bare` answers a small JSON; `POST /bare` parses its JSON body first,
 * as a heartbeat's route does.
 */
export function bareApp() {
  const app = new Hono();
  app.get('/bare', (c) => c.json({ ok: true }));
  app.post('/bare', async (c) => c.json({ ok: typeof (await c.req.json()) === 'object' }));
  return app;
}
