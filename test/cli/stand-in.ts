import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { afterEach } from 'vitest';

export interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string; at: number }
export interface Reply { status: number; headers?: Record<string, string>; body?: unknown }

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((ok) => s.close(ok))));
});

/**
 * A stand-in server for answers the real one cannot be made to give on demand
 * (429s, 503s, a paused rollout): each request gets the next scripted reply
 * (the last one repeats), and what was sent is kept. Closed after each test.
 */
export async function scripted(replies: Reply[]) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, at: Date.now() });
      const r = replies[Math.min(seen.length - 1, replies.length - 1)]!;
      const json = r.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(r.status, { 'content-type': json, ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, seen };
}

export const problem = (status: number, detail = 'slow down', code = 'rate_limited') =>
  ({ type: 'about:blank', title: 'x', status, detail, code, requestId: 'r' });

/** The environment pointing the CLI at a stand-in. */
export const standInEnv = (url: string) => ({ FLEETPLANE_URL: url, FLEETPLANE_TOKEN: 'fp_test', FLEETPLANE_TENANT: 'acme', XDG_CONFIG_HOME: '/nonexistent' });
