import type { DurableObjectState, HibernatableSocket } from './workers-types.js';

interface Waiter {
  after: number;
  resolve: (revision: number) => void;
}

/**
 * Workers' notifier: one Durable Object per tenant. Isolates that change a
 * desired revision POST /publish here; long polls wait in /wait; WebSockets
 * are accepted with the hibernation API (tagged by cluster), so an idle
 * connector costs nothing while it waits.
 */
export class PushHub {
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(private readonly state: DurableObjectState) {}

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const cluster = url.searchParams.get('cluster') ?? '';
    const after = Number(url.searchParams.get('after') ?? 0);
    if (url.pathname === '/publish') return this.publish(cluster, Number(url.searchParams.get('revision')));
    if (request.headers.get('upgrade')?.toLowerCase() === 'websocket') return this.accept(cluster, after);
    if (url.pathname === '/wait') return this.wait(cluster, after, Number(url.searchParams.get('timeoutMs') ?? 30_000), request.signal);
    return new Response('not found', { status: 404 });
  }

  private publish(cluster: string, revision: number) {
    for (const w of [...(this.waiters.get(cluster) ?? [])]) if (revision > w.after) w.resolve(revision);
    for (const ws of this.state.getWebSockets(cluster) as HibernatableSocket[]) {
      const last = Number(ws.deserializeAttachment() ?? 0);
      if (revision <= last) continue;
      ws.serializeAttachment(revision);
      ws.send(JSON.stringify({ revision }));
    }
    return new Response(null, { status: 204 });
  }

  private wait(cluster: string, after: number, timeoutMs: number, signal: AbortSignal) {
    return new Promise<Response>((resolve) => {
      let set = this.waiters.get(cluster);
      if (!set) this.waiters.set(cluster, (set = new Set()));
      const waiter: Waiter = { after, resolve: (revision) => done(Response.json({ revision })) };
      const done = (res: Response) => {
        clearTimeout(timer);
        set.delete(waiter);
        if (set.size === 0) this.waiters.delete(cluster);
        resolve(res);
      };
      const timer = setTimeout(() => done(new Response(null, { status: 204 })), timeoutMs);
      signal.addEventListener('abort', () => done(new Response(null, { status: 204 })));
      set.add(waiter);
    });
  }

  private accept(cluster: string, after: number) {
    const pair = new globalThis.WebSocketPair!();
    const server = pair[1] as HibernatableSocket;
    this.state.acceptWebSocket(server, [cluster]);
    server.serializeAttachment(after);
    return new Response(null, { status: 101, webSocket: pair[0] } as ResponseInit);
  }

  webSocketMessage() {
    // connectors only listen; nothing to answer
  }

  webSocketClose(ws: WebSocket, code: number) {
    ws.close(code === 1005 ? 1000 : code, 'closing');
  }
}
