import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** the payload `standardwebhooks` verified; undefined when verification failed (see `failures`) */
  payload: any;
}

/** How the receiver answers one request: a status, a status with a body, no answer at all, or a body that never ends. */
export type Behaviour = number | { status: number; body: string } | 'hang' | 'endless';

/**
 * A webhook receiver on 127.0.0.1 that verifies every delivery with the
 * `standardwebhooks` package, as a user's would. Answers 204 unless told
 * otherwise (`answer(...)` queues behaviours, one per request).
 * With `remote`, tests elsewhere (in workerd) drive it over HTTP:
 * `POST /__answer` queues behaviours (a JSON array), `GET /__received` lists
 * what came, and they verify the deliveries themselves.
 */
export async function startReceiver(o: { remote?: boolean } = {}) {
  const received: Received[] = [];
  const failures: string[] = [];
  const queue: Behaviour[] = [];
  const waiters: (() => void)[] = [];
  let secret: string | undefined;
  const respond = (res: ServerResponse, b: Behaviour) => {
    if (b === 'hang') return;
    if (b === 'endless') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      return pump();
    }
    const { status, body } = typeof b === 'number' ? { status: b, body: '' } : b;
    res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end(body);
  };
  const control = (req: IncomingMessage, res: ServerResponse, body: string) => {
    if (req.method === 'POST' && req.url === '/__answer') queue.push(...(JSON.parse(body) as Behaviour[]));
    else if (req.method === 'GET' && req.url === '/__received') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
    res.writeHead(204).end();
  };
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      if (o.remote && req.url?.startsWith('/__')) return control(req, res, body);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let payload: unknown;
      try {
        if (o.remote) throw new Error('verified by the remote test');
        if (!secret) throw new Error('the receiver has no secret yet');
        payload = new Webhook(secret).verify(body, headers);
      } catch (err) {
        failures.push(`${headers['webhook-id']}: ${(err as Error).message}`);
      }
      received.push({ path: req.url ?? '', headers, body, payload });
      for (const w of waiters.splice(0)) w();
      respond(res, queue.shift() ?? 204);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    failures,
    setSecret: (s: string) => (secret = s),
    answer: (...b: Behaviour[]) => queue.push(...b),
    /** Resolves once `n` requests have come (or rejects after `ms`). */
    async count(n: number, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} requests, not ${n}, within ${ms} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return received;
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
