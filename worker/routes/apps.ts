import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { apps, type AppRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { deleteApp } from '../domain/apps/delete.js';
import { putApp } from '../domain/apps/put.js';
import { viewApp } from '../domain/apps/view.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource } from '../lib/respond.js';
import { ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { publishAll } from '../push/publish.js';
import { AppSpec, PlacedStatus } from './app-schemas.js';
import { AppParams, loadApp } from './app-params.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const AppStatus = z
  .object({
    ...PlacedStatus,
    revision: z.number().int().openapi({ description: 'the newest entry of /revisions' }),
    deletionPolicy: z.enum(['Delete', 'Orphan']).openapi({ description: 'spec.deletionPolicy, or its default' }),
    rollout: z.object({
      generation: z.number().int(),
      wave: z.number().int().openapi({ description: 'the current wave, from 1; past the last one when Complete' }),
      waves: z.number().int(),
      state: z.enum(['Progressing', 'Paused', 'Complete']),
      message: z.string(),
    }).optional().openapi({ description: 'a progressive rollout: where it stands' }),
  })
  .openapi('AppStatus');
export const App = resourceOut('App', AppSpec, AppStatus);

const tags = ['apps'];
const path = '/v1/tenants/{tenant}/apps/{app}';

const list = createRoute({
  method: 'get', path: '/v1/tenants/{tenant}/apps', tags, operationId: 'listApps', summary: 'List apps with their status',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: ListQuery },
  responses: { 200: json(listOut('AppList', App), 'a page of apps'), ...problems(400, 401, 404, 429) },
});

const get = createRoute({
  method: 'get', path, tags, operationId: 'getApp', summary: 'Read an app and its status on every placed cluster',
  middleware: [tenantRole('viewer')] as const,
  request: { params: AppParams },
  responses: { 200: json(App, 'the app'), 304: { description: 'not modified' }, ...problems(400, 401, 404, 429) },
});

const put = createRoute({
  method: 'put', path, tags, operationId: 'putApp',
  summary: 'Create or replace an app (operator): rendered for every placed cluster; nothing is stored when any cluster fails to render',
  middleware: [tenantRole('operator')] as const,
  request: { params: AppParams, headers: WriteHeaders, body: jsonBody(putBody(AppSpec)) },
  responses: {
    200: json(App, 'replaced (or unchanged)'), 201: json(App, 'created'),
    ...problems(400, 401, 403, 404, 412, 413, 415, 429),
  },
});

const del = createRoute({
  method: 'delete', path, tags, operationId: 'deleteApp',
  summary: 'Delete an app (operator): connectors prune its objects, or leave them with deletionPolicy Orphan',
  middleware: [tenantRole('operator')] as const,
  request: { params: AppParams, headers: WriteHeaders },
  responses: { 204: { description: 'deleted' }, ...problems(400, 401, 403, 404, 412, 429) },
});

export function mountApps(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const tenantId = c.get('access').tenant.uid;
    const page = await namePage<AppRow>(c, apps, eq(apps.tenantId, tenantId), `apps|${tenantId}`, c.req.valid('query'));
    const now = c.get('deps').now();
    const items = await Promise.all(page.rows.map((r) => viewApp(c.get('db'), r, now)));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const row = await loadApp(c, c.req.valid('param').app);
    return sendResource(c, await viewApp(c.get('db'), row, c.get('deps').now())) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { app: name } = c.req.valid('param');
      const body = c.req.valid('json');
      const input = { name, labels: body.metadata?.labels ?? {}, spec: body.spec as Record<string, unknown> };
      const r = await putApp(c.get('db'), actorOf(c), c.get('access').tenant, input, preconditionsOf(c), c.get('deps').renderer, c.get('deps').now());
      await publishAll(c, r.pushes);
      return sendResource(c, await viewApp(c.get('db'), r.row, c.get('deps').now()), r.created ? 201 : 200) as never;
    },
    putHook('app'),
  );

  app.openapi(del, async (c) => {
    const { app: name } = c.req.valid('param');
    const gone = await deleteApp(c.get('db'), actorOf(c), c.get('access').tenant.uid, name, preconditionsOf(c));
    if (!gone) throw notFound('app', name);
    await publishAll(c, gone.pushes);
    return c.body(null, 204);
  });
}
