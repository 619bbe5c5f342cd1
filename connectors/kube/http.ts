import http from 'node:http';
import https from 'node:https';
import type { KubeTarget } from './kubeconfig.js';

/** A Kubernetes API error: the Status the server answered, or a transport failure (code 0). */
export class KubeError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

export interface KubeRequest {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

/** Plain HTTP(S) to the API server with one keep-alive pool; JSON in and out. */
export class KubeHttp {
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  constructor(readonly target: KubeTarget) {
    const tls = target.server.startsWith('https:');
    this.mod = tls ? https : http;
    this.agent = tls
      ? new https.Agent({ keepAlive: true, maxSockets: 16, ca: target.ca, cert: target.cert, key: target.key, rejectUnauthorized: !target.insecure })
      : new http.Agent({ keepAlive: true, maxSockets: 16 });
  }

  private headers(contentType?: string): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    const token = this.target.token();
    if (token) h.authorization = token.startsWith('basic:') ? `Basic ${token.slice(6)}` : `Bearer ${token}`;
    if (contentType) h['content-type'] = contentType;
    return h;
  }

  /** Sends one request; a 4xx/5xx answer becomes a KubeError carrying the Status's code and reason. */
  request<T = any>(r: KubeRequest): Promise<T> {
    const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
    return new Promise<T>((resolve, reject) => {
      const req = this.mod.request(this.target.server + r.path, { method: r.method, agent: this.agent, headers: { ...this.headers(payload ? r.contentType ?? 'application/json' : undefined), ...(payload ? { 'content-length': String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new KubeError(0, 'Transport', e.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            reject(new KubeError(status, body?.reason ?? String(status), body?.message ?? `${r.method} ${r.path}: ${status}`));
          } else resolve(body as T);
        });
      });
      req.setTimeout(r.timeoutMs ?? 30_000, () => req.destroy(new Error(`${r.method} ${r.path}: timed out`)));
      req.on('error', (e) => reject(e instanceof KubeError ? e : new KubeError(0, 'Transport', e.message)));
      req.end(payload);
    });
  }

  /**
   * Streams a watch: one callback per newline-delimited event. Resolves when the
   * server ends the stream (the caller watches again from the last resourceVersion).
   */
  stream(path: string, onEvent: (e: { type: string; object: any }) => void, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const req = this.mod.request(this.target.server + path, { method: 'GET', agent: this.agent, headers: this.headers(), signal }, (res) => {
        if ((res.statusCode ?? 0) >= 400) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let body: any;
            try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { body = undefined; }
            reject(new KubeError(res.statusCode ?? 0, body?.reason ?? 'Watch', body?.message ?? `watch ${path}: ${res.statusCode}`));
          });
          return;
        }
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            try {
              onEvent(JSON.parse(line));
            } catch (e) {
              req.destroy(e as Error);
            }
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => reject(e));
      });
      req.on('error', (e) => (signal.aborted ? resolve() : reject(new KubeError(0, 'Transport', e.message))));
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}
