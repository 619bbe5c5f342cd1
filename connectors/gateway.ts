import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { METHODS, pathProblem, requestHeaders, responseHeaders, wantsUpgrade } from '../worker/gateway/tunnel/policy.js';
import type { OpenHead } from '../worker/gateway/tunnel/frames.js';
import type { TunnelStream } from '../worker/gateway/tunnel/tunnel.js';
import type { KubeHttp } from './kube/http.js';
import type { Log } from './log.js';

/** The only groups the control plane sends callers as (API.md "Cluster gateway"). */
const GROUPS = new Set(['fleetplane:viewers', 'fleetplane:operators', 'fleetplane:admins']);
/** Where the install manifest mounts the token of the ServiceAccount that may only impersonate. */
export const DEFAULT_GATEWAY_TOKEN_FILE = '/var/run/secrets/fleetplane.io/gateway/token';

/** The gateway's own identity in the cluster: a bearer token that may only impersonate. */
export type GatewayToken = () => Promise<string | undefined>;

/** Reads the token from its file (the kubelet rotates projected tokens), at most once a minute. */
export function tokenFromFile(path: string): GatewayToken {
  let cached: { token: string | undefined; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < 60_000) return cached.token;
    const token = await readFile(path, 'utf8').then((t) => t.trim() || undefined, () => undefined);
    cached = { token, at: Date.now() };
    return token;
  };
}

/** A Kubernetes Status answer of the connector's own. */
function refuse(stream: TunnelStream, code: number, reason: string, message: string) {
  stream.respond({ status: code, headers: [['content-type', 'application/json']] });
  void stream.write(new TextEncoder().encode(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code })))
    .then(() => stream.end(), () => {});
}

/**
 * Carries the control plane's gateway requests to this cluster's API server:
 * checked again here (paths, no protocol switch, the caller's headers
 * stripped), sent with the gateway's token and the caller's identity as
 * Impersonate-User / Impersonate-Group, never the connector's apply identity,
 * never following a redirect. Bodies stream both ways within the tunnel's credit.
 */
export class Gateway {
  private agent: http.Agent | undefined;

  constructor(private readonly kube: KubeHttp, private readonly token: GatewayToken, private readonly log: Log) {}

  handle(stream: TunnelStream, head: OpenHead) {
    this.carry(stream, head).catch((err: Error) => {
      this.log('warn', 'gateway request failed', { path: head.path.split('?')[0], error: err.message });
      stream.reset(`the cluster's API server could not be reached: ${err.message}`);
    });
  }

  private async carry(stream: TunnelStream, head: OpenHead) {
    const problem = pathProblem(head.path) ?? (METHODS.has(head.method) ? undefined : `${head.method} is not carried`);
    if (problem) return refuse(stream, 400, 'BadRequest', problem);
    if (wantsUpgrade(head.headers)) return refuse(stream, 400, 'BadRequest', 'the gateway does not switch protocols');
    const as = head.as;
    if (!as?.user?.startsWith('fleetplane:') || !Array.isArray(as.groups) || as.groups.some((g) => !GROUPS.has(g))) {
      return refuse(stream, 403, 'Forbidden', 'the gateway impersonates only fleetplane: users in the fleetplane groups');
    }
    const token = await this.token();
    if (!token) return refuse(stream, 503, 'ServiceUnavailable', "this connector has no gateway identity (the install manifest's fleetplane-gateway token)");

    const headers: http.OutgoingHttpHeaders = Object.fromEntries(requestHeaders(head.headers));
    headers.authorization = `Bearer ${token}`;
    headers['impersonate-user'] = as.user;
    headers['impersonate-group'] = as.groups;
    // Node sends a DELETE's or OPTIONS's body unframed unless told: without a length, chunked
    if (headers['content-length'] === undefined && (head.method === 'DELETE' || head.method === 'OPTIONS')) headers['transfer-encoding'] = 'chunked';
    const url = this.kube.server + head.path;
    const mod = url.startsWith('https:') ? https : http;
    const agent = await this.agentFor(url);
    const req = mod.request(url, { method: head.method, headers, agent }, (res) => void this.answer(stream, res, req));
    req.on('error', (err) => stream.reset(`the cluster's API server could not be reached: ${err.message}`));
    stream.onDone = (reason) => {
      if (reason) req.destroy();
    };
    // the body, as the tunnel's credit lets it come, as the API server's socket takes it
    for await (const chunk of stream.readable as unknown as AsyncIterable<Uint8Array>) {
      if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
    }
    req.end();
  }

  private async answer(stream: TunnelStream, res: http.IncomingMessage, req: http.ClientRequest) {
    const pairs: [string, string][] = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
    stream.respond({ status: res.statusCode ?? 502, headers: responseHeaders(pairs) });
    try {
      for await (const chunk of res) await stream.write(chunk as Buffer);
      stream.end();
    } catch {
      req.destroy(); // the caller went away: so does the request to the API server (a watch ends there too)
    }
  }

  private async agentFor(url: string) {
    if (!this.agent) {
      const trust = url.startsWith('https:') ? await this.kube.serverTrust() : {};
      this.agent = url.startsWith('https:') ? new https.Agent({ keepAlive: true, maxSockets: 64, ...trust }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
    }
    return this.agent;
  }

  close() {
    this.agent?.destroy();
  }
}
