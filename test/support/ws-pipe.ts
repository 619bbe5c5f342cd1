import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * What Neon's proxy does, locally: a WebSocket at `/v1?address=host:port` whose
 * binary frames are piped to a TCP connection to that Postgres, both ways.
 */
export async function startWsPipe(): Promise<{ proxy: string; close: () => Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '', 'http://x').searchParams.get('address') ?? '';
    const [host, port] = address.split(':');
    const tcp = connect(Number(port), host);
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
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;
  return {
    proxy: `127.0.0.1:${port}/v1`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => http.close(r));
    },
  };
}
