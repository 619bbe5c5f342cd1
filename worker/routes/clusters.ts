import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { clusters, type ClusterRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { deleteCluster } from '../domain/clusters/delete.js';
import { PHASES } from '../domain/clusters/phase.js';
import { putCluster } from '../domain/clusters/put.js';
import { agentsOf, phaseSql, renderCluster, viewCluster } from '../domain/clusters/view.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource } from '../lib/respond.js';
import { ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { publishAll } from '../push/publish.js';
import { pushTargetOf } from '../push/push.js';
import { ClusterParams, loadCluster } from './cluster-params.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const ClusterSpec = z.strictObject({ description: z.string().max(1024).optional() });
const Condition = z.object({
  type: z.string(), status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(), message: z.string().optional(), lastTransitionTime: z.string().optional(),
});
const ClusterStatus = z.object({
  phase: z.enum(PHASES),
  conditions: z.array(Condition),
  lastHeartbeatAt: z.string().nullable(),
  kubernetesVersion: z.string().nullable(),
  nodeCount: z.number().int().nullable(),
  connectorVersion: z.string().nullable(),
  desiredRevision: z.number().int(),
  appliedRevision: z.number().int().nullable(),
});
const Cluster = resourceOut('Cluster', ClusterSpec, ClusterStatus);

const tags = ['clusters'];
const path = '/v1/tenants/{tenant}/clusters/{cluster}';

const list = createRoute({
  operationId: 'listClusters', method: 'get', path: '/v1/tenants/{tenant}/clusters', tags, summary: 'List clusters, by labels and phase',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: ListQuery.extend({ phase: z.enum(PHASES).optional() }) },
  responses: { 200: json(listOut('ClusterList', Cluster), 'a page of clusters'), ...problems(400, 401, 404) },
});

const get = createRoute({
  operationId: 'getCluster', method: 'get', path, tags, summary: 'Read a cluster and its health',
  middleware: [tenantRole('viewer')] as const,
  request: { params: ClusterParams },
  responses: { 200: json(Cluster, 'the cluster'), 304: { description: 'not modified' }, ...problems(401, 404) },
});

const put = createRoute({
  operationId: 'putCluster', method: 'put', path, tags, summary: 'Create or replace a cluster (admin)',
  middleware: [tenantRole('admin')] as const,
  request: { params: ClusterParams, headers: WriteHeaders, body: jsonBody(putBody(ClusterSpec)) },
  responses: {
    200: json(Cluster, 'replaced (or unchanged)'), 201: json(Cluster, 'created'),
    ...problems(400, 401, 403, 404, 412, 413),
  },
});

const del = createRoute({
  operationId: 'deleteCluster', method: 'delete', path, tags, summary: 'Delete a cluster; its connector credential stops working (admin)',
  middleware: [tenantRole('admin')] as const,
  request: { params: ClusterParams, headers: WriteHeaders },
  responses: { 204: { description: 'deleted' }, ...problems(401, 403, 404, 412) },
});

export function mountClusters(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const tenantId = c.get('access').tenant.uid;
    const now = c.get('deps').now();
    const scope = and(eq(clusters.tenantId, tenantId), q.phase ? eq(phaseSql(now), q.phase) : undefined);
    const page = await namePage<ClusterRow>(c, clusters, scope, `clusters|${tenantId}|${q.phase ?? ''}`, q);
    const agents = await agentsOf(c.get('db'), page.rows.map((r) => r.uid));
    return c.json({ items: page.rows.map((r) => renderCluster(r, agents.get(r.uid), now)), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const row = await loadCluster(c, c.req.valid('param').cluster);
    return sendResource(c, await viewCluster(c.get('db'), row, c.get('deps').now())) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { cluster: name } = c.req.valid('param');
      const body = c.req.valid('json');
      const input = { name, labels: body.metadata?.labels ?? {}, spec: body.spec };
      const r = await putCluster(c.get('db'), actorOf(c), c.get('access').tenant, input, preconditionsOf(c), c.get('deps').renderer, c.get('deps').now());
      await publishAll(c, r.pushes);
      return sendResource(c, await viewCluster(c.get('db'), r.row, c.get('deps').now()), r.created ? 201 : 200) as never;
    },
    putHook('cluster'),
  );

  app.openapi(del, async (c) => {
    const { cluster: name } = c.req.valid('param');
    const gone = await deleteCluster(c.get('db'), actorOf(c), c.get('access').tenant.uid, name, preconditionsOf(c), c.get('deps').now());
    if (!gone) throw notFound('cluster', name);
    await c.get('deps').push.disconnect(pushTargetOf(gone.before));
    await publishAll(c, gone.pushes);
    return c.body(null, 204);
  });
}
