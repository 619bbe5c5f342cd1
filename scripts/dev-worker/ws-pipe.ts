import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

export interface WsPipe {
  /** what FLEETPLANE_NEON_WS_PROXY takes: `host:port/v1` */
  proxy: string;
  port: number;
  close(): Promise<void>;
}

/**
 * What Neon's proxy does, locally: a WebSocket at `/v1?address=host:port` whose
 * binary frames are piped to a TCP connection to that Postgres, both ways. It lets
 * the real Neon driver (in workerd or on Node) reach any Postgres.
 */
export async function startWsPipe(o: { host?: string; port?: number } = {}): Promise<WsPipe> {
  const host = o.host ?? '127.0.0.1';
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '', 'http://x').searchParams.get('address') ?? '';
    const [pgHost, pgPort] = address.split(':');
    const tcp = connect(Number(pgPort), pgHost);
    tcp.on('data', (d) => ws.send(d));
    tcp.on('close', () => ws.close());
    tcp.on('error', () => ws.close());
    ws.on('message', (d) => tcp.write(d as Buffer));
    ws.on('close', () => tcp.destroy());
    ws.on('error', () => tcp.destroy());
  });
  // how many database connections are open through the pipe now: lets tests see who holds one
  http.on('request', (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ open: req.url === '/connections' ? wss.clients.size : null }));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port ?? 0, host, resolve);
  });
  const port = (http.address() as { port: number }).port;
  return {
    proxy: `${host}:${port}/v1`,
    port,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
