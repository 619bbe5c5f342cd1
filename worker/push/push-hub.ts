import { FeedListeners, isFeedKind } from './feed.js';
import { RELAY_ERROR, RELAY_OPEN } from './durable-push.js';
import { Tunnel } from '../gateway/tunnel/tunnel.js';
import type { OpenHead } from '../gateway/tunnel/frames.js';
import { responseOf, tunnelRequest } from '../gateway/tunnel-request.js';
import { ApiError } from '../lib/problem.js';
import { CLOSE_REVOKED } from './push.js';
import type { DurableObjectState, HibernatableSocket } from './workers-types.js';

interface Waiter {
  after: number;
  resolve: (revision: number | undefined) => void;
}

/** Longest a /wait is held, whatever the caller asks (the watch route asks for at most 30 s). */
const MAX_WAIT_MS = 60_000;

/** WebSocket close codes an endpoint must not send (RFC 6455 §7.4.1). */
const RESERVED_CLOSE_CODES = new Set([1004, 1005, 1006, 1015]);

/**
 * Workers' notifier: one Durable Object per tenant. Isolates that change a
 * desired revision POST /publish here; long polls wait in /wait; WebSockets
 * are accepted with the hibernation API (tagged by cluster), so an idle
 * connector costs nothing while it waits.
 *
 * The hub also keeps the newest revision it has seen per cluster, so a
 * publish that overtakes the watch's own /wait or socket request (the watch
 * subscribes before it reads the database) still reaches that watch.
 */
export class PushHub {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly latest = new Map<string, number>();
  /** the tenant's open console tabs (one hub per tenant, so one key) */
  private readonly feeds = new FeedListeners();
  /**
   * The gateway tunnel of each connector socket, made when a request first
   * needs it. A hub hibernates only with no request in flight, so no stream
   * outlives one; after waking, a socket gets a new tunnel.
   */
  private readonly tunnels = new Map<WebSocket, Tunnel>();

  constructor(private readonly state: DurableObjectState) {
    // keep-alives from connectors are answered without waking a hibernated hub
    const Pair = globalThis.WebSocketRequestResponsePair;
    if (Pair) state.setWebSocketAutoResponse?.(new Pair('ping', 'pong'));
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/publish-many' && request.method === 'POST') return this.publishMany(await request.json());
    if (url.pathname === '/feed') return this.feed(request);
    const cluster = url.searchParams.get('cluster') ?? '';
    if (!cluster) return new Response('cluster is required', { status: 400 });
    const num = (name: string, fallback?: number) => {
      const raw = url.searchParams.get(name);
      const n = raw === null ? fallback : Number(raw);
      return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    };
    const upgrade = request.headers.get('upgrade')?.toLowerCase() === 'websocket';

    if (url.pathname === '/publish' && request.method === 'POST') {
      const revision = num('revision');
      if (revision === undefined) return new Response('revision must be a non-negative integer', { status: 400 });
      return this.publish(cluster, revision);
    }
    if (url.pathname === '/disconnect' && request.method === 'POST') return this.disconnect(cluster);
    if (url.pathname === '/gateway' && request.method === 'POST') return this.gateway(cluster, request);
    if (url.pathname === '/socket' && upgrade) {
      const after = num('after', 0);
      const current = num('current', 0);
      if (after === undefined || current === undefined) return new Response('after and current must be non-negative integers', { status: 400 });
      return this.accept(cluster, after, current);
    }
    if (url.pathname === '/wait' && request.method === 'GET') {
      const after = num('after', 0);
      const timeoutMs = num('timeoutMs', 30_000);
      if (after === undefined || timeoutMs === undefined) return new Response('after and timeoutMs must be non-negative integers', { status: 400 });
      return this.wait(cluster, after, Math.min(timeoutMs, MAX_WAIT_MS), request.signal);
    }
    return new Response('not found', { status: 404 });
  }

  /** One gateway request over the newest socket of the cluster's connector (API.md "Cluster gateway"). */
  private async gateway(cluster: string, request: Request): Promise<Response> {
    const refuse = (status: number, why: string) => new Response(null, { status, headers: { [RELAY_ERROR]: why } });
    let head: OpenHead;
    try {
      head = JSON.parse(request.headers.get(RELAY_OPEN) ?? '') as OpenHead;
    } catch {
      return refuse(400, 'bad relay request');
    }
    const sockets = this.state.getWebSockets(cluster) as WebSocket[];
    const ws = sockets[sockets.length - 1];
    if (!ws) return refuse(503, "the cluster has no connector connected to the gateway now");
    let tunnel = this.tunnels.get(ws);
    if (!tunnel || tunnel.closed) {
      tunnel = new Tunnel({ opener: true, maxStreams: 64, send: (frame) => ws.send(frame) });
      this.tunnels.set(ws, tunnel);
    }
    try {
      const answer = await tunnelRequest(tunnel, head, request.body, request.signal);
      return responseOf(answer, answer.headers, head.method);
    } catch (err) {
      if (err instanceof ApiError) return refuse(err.status, err.detail);
      throw err;
    }
  }

  /** GET: one tab's stream; POST `[kind, ...]`: tell every tab. */
  private async feed(request: Request) {
    if (request.method === 'GET') return this.feeds.open('', request.signal);
    const kinds: unknown = await request.json().catch(() => undefined);
    if (!Array.isArray(kinds) || !kinds.every(isFeedKind)) return new Response('expected [kind, ...]', { status: 400 });
    this.feeds.announce('', kinds);
    return new Response(null, { status: 204 });
  }

  /** `[[cluster, revision], ...]`: what one change moved, in one request. */
  private publishMany(body: unknown) {
    const valid = Array.isArray(body) && body.every((e) =>
      Array.isArray(e) && typeof e[0] === 'string' && e[0] !== '' && Number.isSafeInteger(e[1]) && e[1] >= 0);
    if (!valid) return new Response('expected [[cluster, revision], ...]', { status: 400 });
    for (const [cluster, revision] of body as [string, number][]) this.publish(cluster, revision);
    return new Response(null, { status: 204 });
  }

  private publish(cluster: string, revision: number) {
    if (revision > (this.latest.get(cluster) ?? 0)) this.latest.set(cluster, revision);
    for (const w of [...(this.waiters.get(cluster) ?? [])]) if (revision > w.after) w.resolve(revision);
    for (const ws of this.state.getWebSockets(cluster) as HibernatableSocket[]) this.deliver(ws, revision);
    return new Response(null, { status: 204 });
  }

  /** The cluster's credential is gone: its long polls return empty-handed and its sockets close. */
  private disconnect(cluster: string) {
    this.latest.delete(cluster);
    for (const w of [...(this.waiters.get(cluster) ?? [])]) w.resolve(undefined);
    for (const ws of this.state.getWebSockets(cluster)) {
      try {
        ws.close(CLOSE_REVOKED, 'credential revoked');
      } catch {
        // already closing
      }
    }
    return new Response(null, { status: 204 });
  }

  /** Sends `{ revision }` unless this socket already has that revision or a newer one. */
  private deliver(ws: HibernatableSocket, revision: number) {
    const last = Number(ws.deserializeAttachment() ?? 0);
    if (revision <= last) return;
    try {
      ws.send(JSON.stringify({ revision }));
      ws.serializeAttachment(revision);
    } catch {
      // the socket is closing; webSocketClose cleans up
    }
  }

  private wait(cluster: string, after: number, timeoutMs: number, signal: AbortSignal) {
    const known = this.latest.get(cluster) ?? 0;
    if (known > after) return Response.json({ revision: known });
    if (signal.aborted) return new Response(null, { status: 204 });
    return new Promise<Response>((resolve) => {
      let set = this.waiters.get(cluster);
      if (!set) this.waiters.set(cluster, (set = new Set()));
      const waiters = set;
      const onAbort = () => done(new Response(null, { status: 204 }));
      const waiter: Waiter = {
        after,
        resolve: (revision) => done(revision === undefined ? new Response(null, { status: 204 }) : Response.json({ revision })),
      };
      const done = (res: Response) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.waiters.get(cluster) === waiters) this.waiters.delete(cluster);
        resolve(res);
      };
      const timer = setTimeout(() => done(new Response(null, { status: 204 })), timeoutMs);
      // the caller went away (needs the enable_request_signal compatibility flag)
      signal.addEventListener('abort', onAbort);
      waiters.add(waiter);
    });
  }

  private accept(cluster: string, after: number, current: number) {
    const Pair = globalThis.WebSocketPair;
    if (!Pair) return new Response('WebSockets are not available here', { status: 501 });
    const pair = new Pair();
    const server = pair[1] as HibernatableSocket;
    this.state.acceptWebSocket(server, [cluster]);
    server.serializeAttachment(after);
    // the revision the watch read, or one published while it was being set up, is sent at once
    const known = Math.max(current, this.latest.get(cluster) ?? 0);
    if (known > after) this.deliver(server, known);
    return new Response(null, { status: 101, webSocket: pair[0] } as ResponseInit);
  }

  /** Long polls parked here, for metrics and tests. */
  get waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }

  /** Connectors send only the gateway's frames (binary); a socket with no tunnel here has no stream to hear of. */
  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    if (typeof message !== 'string') this.tunnels.get(ws)?.receive(new Uint8Array(message));
  }

  webSocketClose(ws: WebSocket, code: number, reason: string) {
    this.tunnels.get(ws)?.close("the connector's socket closed");
    this.tunnels.delete(ws);
    // complete the closing handshake; a reserved code cannot be echoed
    try {
      ws.close(RESERVED_CLOSE_CODES.has(code) ? 1000 : code, reason);
    } catch {
      // already closed
    }
  }

  webSocketError(ws: WebSocket) {
    this.tunnels.get(ws)?.close("the connector's socket failed");
    this.tunnels.delete(ws);
    try {
      ws.close(1011, 'error');
    } catch {
      // already closed
    }
  }
}
