import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { federatedNamespaces, type FederatedNamespaceRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { deleteNamespace } from '../domain/namespaces/delete.js';
import { putNamespace } from '../domain/namespaces/put.js';
import { viewNamespace } from '../domain/namespaces/view.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource } from '../lib/respond.js';
import { getResource } from '../lib/resource-store.js';
import { DnsLabel, ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { publishAll } from '../push/publish.js';
import { NamespaceSpec, PlacedStatus } from './app-schemas.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const Namespace = resourceOut('Namespace', NamespaceSpec, z.object(PlacedStatus).openapi('PlacedStatus'));
const NamespaceParams = TenantParams.extend({ namespace: DnsLabel.openapi({ param: { name: 'namespace', in: 'path' } }) });

const tags = ['namespaces'];
const path = '/v1/tenants/{tenant}/namespaces/{namespace}';

const list = createRoute({
  method: 'get', path: '/v1/tenants/{tenant}/namespaces', tags, operationId: 'listNamespaces', summary: 'List federated namespaces',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: ListQuery },
  responses: { 200: json(listOut('NamespaceList', Namespace), 'a page of namespaces'), ...problems(400, 401, 404, 429) },
});

const get = createRoute({
  method: 'get', path, tags, operationId: 'getNamespace', summary: 'Read a federated namespace and its status per cluster',
  middleware: [tenantRole('viewer')] as const,
  request: { params: NamespaceParams },
  responses: { 200: json(Namespace, 'the namespace'), 304: { description: 'not modified' }, ...problems(400, 401, 404, 429) },
});

const put = createRoute({
  method: 'put', path, tags, operationId: 'putNamespace',
  summary: 'Create or replace a federated namespace: Namespace, ResourceQuota and LimitRange on every placed cluster (operator)',
  middleware: [tenantRole('operator')] as const,
  request: { params: NamespaceParams, headers: WriteHeaders, body: jsonBody(putBody(NamespaceSpec)) },
  responses: {
    200: json(Namespace, 'replaced (or unchanged)'), 201: json(Namespace, 'created'),
    ...problems(400, 401, 403, 404, 412, 413, 415, 429),
  },
});

const del = createRoute({
  method: 'delete', path, tags, operationId: 'deleteNamespace', summary: 'Delete a federated namespace from every cluster (operator)',
  middleware: [tenantRole('operator')] as const,
  request: { params: NamespaceParams, headers: WriteHeaders },
  responses: { 204: { description: 'deleted' }, ...problems(400, 401, 403, 404, 412, 429) },
});

export function mountNamespaces(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const tenantId = c.get('access').tenant.uid;
    const scope = eq(federatedNamespaces.tenantId, tenantId);
    const page = await namePage<FederatedNamespaceRow>(c, federatedNamespaces, scope, `namespaces|${tenantId}`, c.req.valid('query'));
    const now = c.get('deps').now();
    const items = await Promise.all(page.rows.map((r) => viewNamespace(c.get('db'), r, now)));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const { namespace } = c.req.valid('param');
    const row = await getResource<FederatedNamespaceRow>(c.get('db'), federatedNamespaces, c.get('access').tenant.uid, namespace);
    if (!row) throw notFound('namespace', namespace);
    return sendResource(c, await viewNamespace(c.get('db'), row, c.get('deps').now())) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { namespace } = c.req.valid('param');
      const body = c.req.valid('json');
      const input = { name: namespace, labels: body.metadata?.labels ?? {}, spec: body.spec as Record<string, unknown> };
      const r = await putNamespace(c.get('db'), actorOf(c), c.get('access').tenant, input, preconditionsOf(c));
      await publishAll(c, r.pushes);
      return sendResource(c, await viewNamespace(c.get('db'), r.row, c.get('deps').now()), r.created ? 201 : 200) as never;
    },
    putHook('namespace'),
  );

  app.openapi(del, async (c) => {
    const { namespace } = c.req.valid('param');
    const gone = await deleteNamespace(c.get('db'), actorOf(c), c.get('access').tenant.uid, namespace, preconditionsOf(c));
    if (!gone) throw notFound('namespace', namespace);
    await publishAll(c, gone.pushes);
    return c.body(null, 204);
  });
}
