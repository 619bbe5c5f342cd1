import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { clusterIdentity } from '../gateway/identity.js';
import { METHODS, pathProblem, requestHeaders, responseHeaders, wantsUpgrade } from '../gateway/tunnel/policy.js';
import { clusterSender } from '../gateway/cluster-sender.js';
import { clusterUnavailable, responseOf } from '../gateway/tunnel-request.js';
import { recordAudit } from '../domain/audit.js';
import { ApiError, invalid } from '../lib/problem.js';
import { loadCluster } from './cluster-params.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that may change the cluster is an audit event (API.md), refused
 * or not: the verb, the path without its query, and the API server's answer.
 * Written after the answer's headers, on a connection of its own (the
 * request's was given back before it went to the cluster).
 */
async function auditChange(c: Context<AppEnv>, cluster: { name: string }, request: { verb: string; path: string; status: number }) {
  const { db, release } = await c.get('deps').db.open();
  try {
    await recordAudit(db, { principal: c.get('principal'), requestId: c.get('requestId') }, {
      tenantId: c.get('access').tenant.uid, action: 'proxy', kind: 'cluster', name: cluster.name, request,
    });
  } catch (err) {
    console.error(`[${c.get('requestId')}] the gateway could not record its audit event:`, err);
  } finally {
    await release();
  }
}

async function proxy(c: Context<AppEnv>) {
  const access = c.get('access');
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
  const tunnels = c.get('deps').push.tunnels;
  const peers = c.get('deps').gatewayPeers;
  const hop = peers ? await peers.forwarded(c.req.raw) : undefined;
  const local = tunnels?.get(cluster.uid);
  if (peers && (!local || local.closed)) {
    // another replica may hold the connector's socket: forwarded there once, never on from there
    const holder = hop === undefined ? await peers.holder(cluster.uid) : undefined;
    if (holder) {
      await c.get('releaseDb')();
      return peers.forward(c.req.raw, holder);
    }
  }
  if (hop !== undefined && local && tunnels?.epoch?.(cluster.uid) !== hop) {
    throw clusterUnavailable(`cluster "${cluster.name}"'s connector moved to another socket; retry`);
  }
  const send = clusterSender(c.get('deps').push, cluster);

  // a watch may stay open for minutes: it holds no database connection meanwhile
  await c.get('releaseDb')();
  const as = clusterIdentity(access.tenant.name, c.get('principal'), access.role);
  const body = method === 'GET' || method === 'HEAD' ? null : c.req.raw.body;
  const answer = await send({ method, path: `${path}${url.search}`, headers: requestHeaders(incoming), as }, body, c.req.raw.signal);
  if (!READS.has(method)) await auditChange(c, cluster, { verb: method, path, status: answer.status });
  return responseOf(answer, responseHeaders(answer.headers), method);
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
