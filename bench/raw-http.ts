/**
 * The load generators' HTTP client: plain keep-alive sockets carrying one
 * request at a time, as a connector sends them, with each request's bytes
 * built before the run and the answers framed by http-parser-js (autocannon's
 * parser). Clients that build every request as it goes out (undici's Pool,
 * autocannon with a header set per request) took two to three times the CPU
 * per request on a machine of two cores, which the server they measure shares.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HTTPParser } from 'http-parser-js';

/** One request as bytes on the wire: the request line, `headers`, and the body with its type and length. */
export function requestBytes(url: URL, method: string, headers: Record<string, string>, body?: Buffer): Buffer {
  const all: Record<string, string> = { host: url.host, ...headers };
  if (body) Object.assign(all, { 'content-type': 'application/json', 'content-length': String(body.length) });
  const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const head = Buffer.from(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${lines}\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

export interface ConnectionEvents {
  /** a whole answer came; `c.status` holds its status, and `c` can send again if `c.reusable` (else it closes next) */
  answered(c: RawConnection): void;
  /** the connection is gone; `failed`: a request on it had no answer (`timedOut`: within the time given) */
  closed(c: RawConnection, failed: boolean, timedOut: boolean): void;
}

/** One keep-alive connection to `to`, one request on it at a time. */
export class RawConnection {
  private readonly socket: Socket;
  private readonly parser = new HTTPParser(HTTPParser.RESPONSE);
  private timer: NodeJS.Timeout | undefined;
  private keepAlive = true;
  status = 0;
  /** the last answer's Retry-After, when it refused */
  retryAfter: string | undefined;
  /** when the request on it was written; it is waiting for that answer */
  sentAt = 0;
  busy = false;
  closed = false;
  /** what the caller keeps with the request on it (the paced load: its index) */
  tag = -1;

  constructor(to: URL, private readonly on: ConnectionEvents) {
    this.socket = connect({ host: to.hostname, port: Number(to.port), noDelay: true });
    this.parser[HTTPParser.kOnHeadersComplete] = (info: { statusCode: number; shouldKeepAlive: boolean; headers: string[] }) => {
      this.status = info.statusCode;
      this.keepAlive = info.shouldKeepAlive;
      // names and values alternate; only a refusal carries it
      const at = info.statusCode >= 400 ? info.headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'retry-after') : -1;
      this.retryAfter = at >= 0 ? info.headers[at + 1] : undefined;
    };
    this.parser[HTTPParser.kOnMessageComplete] = () => {
      clearTimeout(this.timer);
      this.busy = false;
      this.on.answered(this);
      if (!this.keepAlive) this.close();
    };
    this.socket.on('data', (chunk: Buffer) => this.parser.execute(chunk));
    this.socket.on('error', () => {}); // 'close' follows
    this.socket.on('close', () => this.close());
  }

  send(bytes: Buffer, timeoutMs: number) {
    this.busy = true;
    this.sentAt = performance.now();
    this.parser.reinitialize(HTTPParser.RESPONSE);
    this.timer = setTimeout(() => this.close(true), timeoutMs);
    this.socket.write(bytes);
  }

  /** open, and the last answer did not close it */
  get reusable() {
    return !this.closed && this.keepAlive;
  }

  close(timedOut = false) {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    const failed = this.busy;
    this.busy = false;
    this.socket.destroy();
    this.on.closed(this, failed, timedOut);
  }
}
