import http from 'node:http';
import https from 'node:https';
import { retryAfterMs } from './backoff.js';
import type { Condition } from './conditions.js';
import type { StatusReport } from './reporter.js';

/** A control plane answer that is not a success: status 0 when it could not be reached. */
export class ControlPlaneError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
  /** 401: the credential is not (or no longer) accepted — revoked, or a cluster deleted. */
  get unauthorized() {
    return this.status === 401;
  }
}

export interface ClusterFacts {
  kubernetesVersion: string;
  nodeCount: number;
}

export interface Registration {
  credential: string;
  expiresAt: string;
  cluster: { tenant: string; name: string; uid: string };
  heartbeatIntervalSeconds: number;
}

export interface HeartbeatAnswer {
  desiredRevision: number;
  heartbeatIntervalSeconds: number;
  credential?: string;
  expiresAt?: string;
}

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** `/v1/connector/*` over HTTP(S), outbound only; the credential is read at each call (it is refreshed). */
export class ControlPlane {
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  constructor(readonly url: string, private readonly credential: () => string | undefined, readonly timeoutMs = 15_000) {
    this.mod = url.startsWith('https:') ? https : http;
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 4 });
  }

  call(method: string, path: string, o: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number; auth?: boolean; signal?: AbortSignal } = {}, retried = false): Promise<Res> {
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    const token = o.auth === false ? undefined : this.credential();
    if (token) headers.authorization = `Bearer ${token}`;
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    if (payload) {
      headers['content-type'] = 'application/json';
      // DELETE and friends are not chunked by default: always say the length
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise<Res>((resolve, reject) => {
      const req = this.mod.request(`${this.url}${path}`, { method, headers, agent: this.agent, ...(o.signal ? { signal: o.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new ControlPlaneError(0, e.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            const detail = typeof body === 'object' && body ? body.detail ?? body.title : undefined;
            const ra = res.headers['retry-after'];
            reject(new ControlPlaneError(status, `${method} ${path}: ${status}${detail ? ` ${detail}` : ''}`, retryAfterMs(Array.isArray(ra) ? ra[0] : ra)));
          } else resolve({ status, headers: res.headers, body });
        });
      });
      req.setTimeout(o.timeoutMs ?? this.timeoutMs, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        // a kept-alive connection the server closed as this request went out: nothing was read, so it goes again once
        if (req.reusedSocket && e.code === 'ECONNRESET' && !retried && !o.signal?.aborted) return resolve(this.call(method, path, o, true));
        reject(e instanceof ControlPlaneError ? e : new ControlPlaneError(0, `${method} ${path}: ${e.message}`));
      });
      req.end(payload);
    });
  }

  async register(joinToken: string, cluster: ClusterFacts & { connectorVersion: string }): Promise<Registration> {
    return (await this.call('POST', '/v1/connector/register', { body: { joinToken, cluster }, auth: false })).body;
  }

  async heartbeat(body: ClusterFacts & { appliedRevision?: number; conditions?: Condition[] }): Promise<HeartbeatAnswer> {
    return (await this.call('POST', '/v1/connector/heartbeat', { body })).body;
  }

  /** The desired state, or undefined when it is still `revision` (304). */
  async desiredState(revision: number | undefined): Promise<unknown | undefined> {
    const r = await this.call('GET', '/v1/connector/desired-state', {
      headers: revision === undefined ? {} : { 'if-none-match': `"${revision}"` }, timeoutMs: 60_000,
    });
    return r.status === 304 ? undefined : r.body;
  }

  async status(report: StatusReport): Promise<void> {
    await this.call('PUT', '/v1/connector/status', { body: report });
  }

  /** Long poll: the desired revision once it exceeds `revision`, or the current one after at most `timeoutSeconds`. */
  async poll(revision: number, timeoutSeconds: number, signal?: AbortSignal): Promise<number> {
    const r = await this.call('GET', `/v1/connector/watch?revision=${revision}&timeoutSeconds=${timeoutSeconds}`, {
      timeoutMs: (timeoutSeconds + 15) * 1000, ...(signal ? { signal } : {}),
    });
    return Number(r.body?.revision ?? revision);
  }

  close() {
    this.agent.destroy();
  }
}
