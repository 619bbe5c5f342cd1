import WebSocket from 'ws';
import { DEFAULT_BACKOFF, retryDelay, sleep } from './backoff.js';
import { ControlPlaneError, type ControlPlane } from './control-plane.js';
import type { Log } from './log.js';
import { Tunnel } from '../worker/gateway/tunnel/tunnel.js';
import type { Gateway } from './gateway.js';

/** Gateway requests this connector carries at once: each may hold one 64 KiB window here (4 MiB in all). */
export const GATEWAY_MAX_STREAMS = 64;

export interface WatchHooks {
  /** the revision the connector holds (the watch asks for anything newer) */
  known: () => number;
  /** a newer desired revision was announced */
  onRevision: (revision: number) => void;
  onUnauthorized: () => void;
}

/**
 * Waits for new desired revisions: a WebSocket first (`Authorization` on the
 * upgrade), long polls (≤ 30 s) when sockets fail — behind a proxy that drops
 * upgrades, say — trying the socket again every few minutes.
 */
export class RevisionWatch {
  private socket: WebSocket | undefined;
  private socketBrokenUntil = 0;
  mode: 'websocket' | 'poll' | 'idle' = 'idle';

  constructor(
    private readonly cp: ControlPlane, private readonly token: () => string | undefined, private readonly hooks: WatchHooks, private readonly log: Log,
    /** carries the cluster gateway's requests over the socket (binary messages) */
    private readonly gateway?: Gateway,
  ) {}

  async run(signal: AbortSignal) {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (Date.now() >= this.socketBrokenUntil) {
          const started = Date.now();
          const ok = await this.viaSocket(signal);
          if (!ok) this.socketBrokenUntil = Date.now() + 5 * 60_000;
          // a socket that closes right after opening is a failure too: no tight reconnect loop
          if (ok && Date.now() - started < 2000) await sleep(retryDelay(failures++, undefined, { ...DEFAULT_BACKOFF, capMs: 30_000 }), signal);
          else failures = 0;
          continue;
        }
        this.mode = 'poll';
        const rev = await this.cp.poll(this.hooks.known(), 30, signal);
        failures = 0;
        if (rev > this.hooks.known()) this.hooks.onRevision(rev);
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof ControlPlaneError && e.unauthorized) {
          this.hooks.onUnauthorized();
          return;
        }
        const wait = retryDelay(failures++, e instanceof ControlPlaneError ? e.retryAfterMs : undefined, { ...DEFAULT_BACKOFF, capMs: 30_000 });
        this.log('warn', 'watch failed', { error: (e as Error).message, retryInMs: wait });
        await sleep(wait, signal);
      }
    }
    this.mode = 'idle';
  }

  /**
   * One socket until it closes. True when it worked (opened), false when the
   * upgrade itself failed for another reason than 401 (fall back to polling).
   */
  private viaSocket(signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const url = `${this.cp.url.replace(/^http/, 'ws')}/v1/connector/watch?revision=${this.hooks.known()}`;
      const token = this.token();
      const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, handshakeTimeout: 10_000 });
      this.socket = ws;
      let opened = false;
      let alive = true;
      const gateway = this.gateway;
      const tunnel = gateway && new Tunnel({
        opener: false, maxStreams: GATEWAY_MAX_STREAMS, send: (frame) => ws.send(frame), onOpen: (stream, head) => gateway.handle(stream, head),
      });
      const ping = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, 30_000);
      const abort = () => ws.close(1000);
      signal.addEventListener('abort', abort, { once: true });
      ws.on('pong', () => (alive = true));
      ws.on('open', () => {
        opened = true;
        this.mode = 'websocket';
      });
      ws.on('message', (data, isBinary) => {
        alive = true;
        if (isBinary) return tunnel?.receive(data as Buffer);
        try {
          const rev = Number(JSON.parse(String(data)).revision);
          if (Number.isFinite(rev) && rev > this.hooks.known()) this.hooks.onRevision(rev);
        } catch {
          // not a revision message
        }
      });
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        ws.terminate();
        cleanup();
        if (status === 401) reject(new ControlPlaneError(401, 'watch: 401'));
        else resolve(false);
      });
      ws.on('error', () => undefined);
      ws.on('close', (code) => {
        cleanup();
        if (code === 1008) reject(new ControlPlaneError(401, 'watch closed: policy violation (credential no longer valid)'));
        else if (opened) resolve(true);
        else reject(new ControlPlaneError(0, 'watch: could not connect'));
      });
      const cleanup = () => {
        tunnel?.close('the control plane socket closed');
        clearInterval(ping);
        signal.removeEventListener('abort', abort);
        this.socket = undefined;
      };
    });
  }

  close() {
    this.socket?.terminate();
  }
}
