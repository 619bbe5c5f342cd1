import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { members, tenants, type TenantRow } from '../../db/schema/index.js';
import { tenantPutAccess, tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { deleteTenant } from '../domain/tenants/delete.js';
import { putTenant } from '../domain/tenants/put.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource, toResource } from '../lib/respond.js';
import { ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const TenantSpec = z.strictObject({ displayName: z.string().min(1).max(256) });
const TenantStatus = z.object({ phase: z.literal('Active') });
const Tenant = resourceOut('Tenant', TenantSpec, TenantStatus);
const render = (row: TenantRow) => toResource<z.infer<typeof TenantSpec>, z.infer<typeof TenantStatus>>(row, { phase: 'Active' });

const tags = ['tenants'];

const list = createRoute({
  operationId: 'listTenants', method: 'get', path: '/v1/tenants', tags,
  summary: 'Tenants the caller belongs to (all of them for the platform admin)',
  request: { query: ListQuery },
  responses: { 200: json(listOut('TenantList', Tenant), 'a page of tenants'), ...problems(400, 401, 429) },
});

const get = createRoute({
  operationId: 'getTenant', method: 'get', path: '/v1/tenants/{tenant}', tags, summary: 'Read a tenant',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams },
  responses: { 200: json(Tenant, 'the tenant'), 304: { description: 'not modified' }, ...problems(401, 404) },
});

const put = createRoute({
  operationId: 'putTenant', method: 'put', path: '/v1/tenants/{tenant}', tags,
  summary: 'Create (platform admin) or replace (owner) a tenant',
  middleware: [tenantPutAccess] as const,
  request: { params: TenantParams, headers: WriteHeaders, body: jsonBody(putBody(TenantSpec)) },
  responses: {
    200: json(Tenant, 'replaced (or unchanged)'), 201: json(Tenant, 'created'),
    ...problems(400, 401, 403, 404, 412, 413),
  },
});

const del = createRoute({
  operationId: 'deleteTenant', method: 'delete', path: '/v1/tenants/{tenant}', tags,
  summary: 'Delete a tenant and everything in it (owner)',
  middleware: [tenantRole('owner')] as const,
  request: { params: TenantParams, headers: WriteHeaders },
  responses: { 204: { description: 'deleted' }, ...problems(401, 403, 404, 412) },
});

/** Which tenants a caller can see: a SQL condition, or undefined for all. */
function visible(c: Context<AppEnv>) {
  const p = c.get('principal');
  if (p.kind === 'admin') return undefined;
  if (p.kind === 'token') return eq(tenants.uid, p.tenantId);
  const subject = p.kind === 'user' ? p.subject : '';
  return inArray(tenants.uid, c.get('db').select({ id: members.tenantId }).from(members).where(eq(members.name, subject)));
}

export function mountTenants(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const scope = visible(c);
    const { rows, nextCursor } = await namePage<TenantRow>(c, tenants, scope, `tenants|${c.get('principal').id}`, c.req.valid('query'));
    return c.json({ items: rows.map(render), nextCursor }, 200);
  });

  app.openapi(get, (c) => sendResource(c, render(c.get('access').tenant), 200) as never);

  app.openapi(
    put,
    async (c) => {
      const { tenant: name } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await putTenant(c.get('db'), actorOf(c), { name, labels: body.metadata?.labels ?? {}, spec: body.spec }, preconditionsOf(c));
      // tokens carry their tenant's row: no replica may serve the old one
      if (!r.created) await c.get('deps').push.forget(r.row.uid);
      return sendResource(c, render(r.row), r.created ? 201 : 200) as never;
    },
    putHook('tenant'),
  );

  app.openapi(del, async (c) => {
    const { name, uid } = c.get('access').tenant;
    const gone = await deleteTenant(c.get('db'), actorOf(c), name, preconditionsOf(c));
    if (!gone) throw notFound('tenant', name);
    await c.get('deps').push.forget(uid);
    return c.body(null, 204);
  });
}
