import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { Watch } from '@kubernetes/client-node/dist/watch.js';

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

interface Prepared {
  agent: http.Agent;
  headers: Record<string, string>;
}

const sameBytes = (a: unknown, b: unknown) => (a === b) || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
const TLS_FIELDS = ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername'] as const;

/**
 * JSON over HTTP(S) to the API server. @kubernetes/client-node supplies the
 * TLS material and the credentials (tokens it refreshes, exec plugins) on every
 * request; the connection pool is ours, because the library builds a new agent
 * per request and so never reuses a connection.
 */
export class KubeHttp {
  private pool: { agent: http.Agent; tls: https.AgentOptions } | undefined;
  private readonly watcher: Watch;
  readonly server: string;
  constructor(readonly kc: KubeConfig) {
    this.server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
    this.watcher = new Watch(kc);
  }

  private async prepare(): Promise<Prepared> {
    const o: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(o);
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [k, v] of Object.entries(o.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    if (o.auth) headers.authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    // a proxy agent from the library as it is (proxies are rare; pooling them is not worth a second code path)
    if (this.kc.getCurrentCluster()?.proxyUrl) return { agent: o.agent as http.Agent, headers };
    if (!this.pool || TLS_FIELDS.some((f) => !sameBytes(this.pool!.tls[f], o[f]))) {
      this.pool?.agent.destroy(); // rotated client certificate: connections made with the old one go
      const tls = Object.fromEntries(TLS_FIELDS.map((f) => [f, o[f]])) as https.AgentOptions;
      const agent = this.server.startsWith('https:')
        ? new https.Agent({ keepAlive: true, maxSockets: 16, ...tls })
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
      this.pool = { agent, tls };
    }
    return { agent: this.pool.agent, headers };
  }

  /**
   * How to trust the API server (its CA, server name), without any client
   * credential: what the gateway connects with, under an identity of its own.
   */
  async serverTrust(): Promise<Pick<https.AgentOptions, 'ca' | 'rejectUnauthorized' | 'servername'>> {
    const o: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(o);
    return { ca: o.ca, rejectUnauthorized: o.rejectUnauthorized, servername: o.servername };
  }

  /** Sends one request; a 4xx/5xx answer becomes a KubeError carrying the Status's code and reason. */
  async request<T = any>(r: KubeRequest): Promise<T> {
    const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
    const { agent, headers } = await this.prepare().catch((e: Error) => {
      throw new KubeError(0, 'Credentials', `kubeconfig credentials: ${e.message}`);
    });
    if (payload) {
      headers['content-type'] = r.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const mod = this.server.startsWith('https:') ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(this.server + r.path, { method: r.method, agent, headers }, (res) => {
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
   * A watch through the library's Watch: one callback per event. Resolves when
   * the server ends the stream or `signal` aborts it (the caller watches again
   * from the last resourceVersion); an HTTP error rejects with its code.
   */
  stream(path: string, query: Record<string, string | number | boolean>, onEvent: (e: { type: string; object: any }) => void, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let controller: AbortController | undefined;
      const stop = () => controller?.abort();
      let settled = false;
      const finish = (err: any) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', stop);
        if (!err || signal.aborted) resolve();
        else if (err instanceof KubeError) reject(err);
        else reject(new KubeError(err.statusCode ?? 0, err.statusCode ? err.message : 'Transport', `watch ${path}: ${err.message}`));
      };
      signal.addEventListener('abort', stop, { once: true });
      const onLine = (type: string, object: any) => {
        if (settled) return;
        try {
          onEvent({ type, object });
        } catch (e) {
          controller?.abort();
          finish(e);
        }
      };
      this.watcher.watch(path, query, onLine, finish).then((c) => {
        controller = c;
        if (signal.aborted || settled) c.abort();
      }, finish);
    });
  }

  close() {
    this.pool?.agent.destroy();
  }
}
