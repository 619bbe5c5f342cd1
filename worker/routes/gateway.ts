import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { clusterIdentity } from '../gateway/identity.js';
import { METHODS, pathProblem, requestHeaders, responseHeaders, wantsUpgrade } from '../gateway/tunnel/policy.js';
import { StreamReset, TooManyStreams, type TunnelStream } from '../gateway/tunnel/tunnel.js';
import { recordAudit } from '../domain/audit.js';
import { ApiError, invalid } from '../lib/problem.js';
import { loadCluster } from './cluster-params.js';

/** How long the cluster's API server has to answer with its headers. */
const HEADERS_TIMEOUT_MS = 30_000;
/** The longest a request (a watch, `logs -f`) stays open; clients reconnect, as from an API server's own timeout. */
const STREAM_MAX_MS = 30 * 60_000;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that may change the cluster is an audit event (API.md), refused
 * or not: the verb, the path without its query, and the API server's answer.
 * Written after the answer's headers, on a connection of its own (the
 * request's was given back before it went to the cluster).
 */
async function auditChange(c: Context<AppEnv>, cluster: { name: string }, request: { verb: string; path: string; status: number }) {
  const { db, release } = await c.var.deps.db.open();
  try {
    await recordAudit(db, { principal: c.var.principal, requestId: c.get('requestId') }, {
      tenantId: c.var.access.tenant.uid, action: 'proxy', kind: 'cluster', name: cluster.name, request,
    });
  } catch (err) {
    console.error(`[${c.get('requestId')}] the gateway could not record its audit event:`, err);
  } finally {
    await release();
  }
}

const unavailable = (detail: string) => new ApiError(503, 'cluster_unavailable', detail, undefined, { 'Retry-After': '5' });

/** Sends the caller's body through the stream, within its credit; a failure resets the stream. */
async function sendBody(body: ReadableStream<Uint8Array> | null, stream: TunnelStream) {
  try {
    if (body) for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) await stream.write(chunk);
    stream.end();
  } catch (err) {
    stream.reset(`the request body could not be read: ${(err as Error).message}`);
  }
}

function timeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(new ApiError(504, 'gateway_timeout', `the cluster's API server did not answer within ${ms / 1000} s`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function proxy(c: Context<AppEnv>) {
  const access = c.var.access;
  const cluster = await loadCluster(c, c.req.param('cluster') ?? '');
  const url = new URL(c.req.url);
  const marker = `/clusters/${cluster.name}/proxy`;
  const path = url.pathname.slice(url.pathname.indexOf(marker) + marker.length) || '/';
  const problem = pathProblem(`${path}${url.search}`);
  if (problem) throw invalid([{ pointer: '/path', in: 'path', message: problem }], problem);
  const method = c.req.method.toUpperCase();
  if (!METHODS.has(method)) throw new ApiError(405, 'method_not_allowed', `${method} is not carried by the gateway`);
  const incoming = [...c.req.raw.headers.entries()];
  if (wantsUpgrade(incoming)) {
    throw new ApiError(400, 'upgrade_not_supported', 'the gateway does not switch protocols: exec, attach and port-forward are not carried');
  }
  const tunnels = c.var.deps.push.tunnels;
  // Workers: the tenant's Durable Object holds the connector's socket and does not relay gateway streams yet
  if (!tunnels) throw unavailable('this deployment does not carry the cluster gateway yet (it runs on Node)');
  const tunnel = tunnels.get(cluster.uid);
  if (!tunnel || tunnel.closed) throw unavailable(`cluster "${cluster.name}" has no connector connected to the gateway now`);

  // a watch may stay open for minutes: it holds no database connection meanwhile
  await c.var.releaseDb();
  let stream: TunnelStream;
  try {
    stream = tunnel.open({ method, path: `${path}${url.search}`, headers: requestHeaders(incoming), as: clusterIdentity(access.tenant.name, c.var.principal, access.role) });
  } catch (err) {
    if (err instanceof TooManyStreams || err instanceof StreamReset) throw unavailable(err.message);
    throw err;
  }
  const caller = c.req.raw.signal;
  const goneAway = () => stream.reset('the caller went away');
  caller.addEventListener('abort', goneAway, { once: true });
  const lifetime = setTimeout(() => stream.reset(`the gateway ends requests after ${STREAM_MAX_MS / 60_000} minutes`), STREAM_MAX_MS);
  stream.onDone = () => {
    clearTimeout(lifetime);
    caller.removeEventListener('abort', goneAway);
  };
  void sendBody(method === 'GET' || method === 'HEAD' ? null : c.req.raw.body, stream);
  let head;
  try {
    head = await timeout(stream.head, HEADERS_TIMEOUT_MS, () => stream.reset('no answer in time'));
  } catch (err) {
    if (err instanceof StreamReset) throw new ApiError(502, 'bad_gateway', `the cluster did not answer: ${err.message}`);
    throw err;
  }
  if (!READS.has(method)) await auditChange(c, cluster, { verb: method, path, status: head.status });
  if (head.status >= 300 && head.status < 400) {
    // never followed, and never handed on: a redirect could send the caller's token elsewhere (CVE-2022-3172)
    stream.reset('redirect refused');
    throw new ApiError(502, 'bad_gateway', `the cluster's API server answered a redirect (${head.status}), which the gateway does not pass on`);
  }
  return new Response(method === 'HEAD' || head.status === 204 || head.status === 304 ? null : stream.readable, {
    status: head.status,
    headers: responseHeaders(head.headers),
  });
}

/**
 * The cluster gateway (API.md "Cluster gateway"): every verb under
 * `/v1/tenants/{t}/clusters/{c}/proxy/`, as the caller, through the tunnel of
 * the connector's socket. Authentication and rate limits come from the tenant
 * API's middleware; any role in the tenant may call, and the cluster's RBAC
 * decides what the caller's group may do there.
 */
export function mountGateway(app: OpenAPIHono<AppEnv>) {
  const path = '/v1/tenants/:tenant/clusters/:cluster/proxy/*';
  app.on([...METHODS], [path, '/v1/tenants/:tenant/clusters/:cluster/proxy'], tenantRole('viewer'), proxy);
}
