import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { templates, type TemplateRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { deleteTemplate } from '../domain/templates/delete.js';
import { putTemplate } from '../domain/templates/put.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource, toResource } from '../lib/respond.js';
import { getResource } from '../lib/resource-store.js';
import { DnsLabel, ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const TemplateSpec = z.strictObject({
  description: z.string().max(4096).optional(),
  category: z.string().max(63).optional(),
});
const Template = resourceOut('Template', TemplateSpec, z.object({}));
const render = (row: TemplateRow) => toResource<z.infer<typeof TemplateSpec>, object>(row, {});

export const TemplateParams = TenantParams.extend({ template: DnsLabel.openapi({ param: { name: 'template', in: 'path' } }) });

const tags = ['templates'];
const path = '/v1/tenants/{tenant}/templates/{template}';

const list = createRoute({
  method: 'get', path: '/v1/tenants/{tenant}/templates', tags, operationId: 'listTemplates', summary: 'List the tenant’s templates',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: ListQuery },
  responses: { 200: json(listOut('TemplateList', Template), 'a page of templates'), ...problems(400, 401, 404, 429) },
});

const get = createRoute({
  method: 'get', path, tags, operationId: 'getTemplate', summary: 'Read a template',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TemplateParams },
  responses: { 200: json(Template, 'the template'), 304: { description: 'not modified' }, ...problems(400, 401, 404, 429) },
});

const put = createRoute({
  method: 'put', path, tags, operationId: 'putTemplate', summary: 'Create or replace a template (operator)',
  middleware: [tenantRole('operator')] as const,
  request: { params: TemplateParams, headers: WriteHeaders, body: jsonBody(putBody(TemplateSpec)) },
  responses: {
    200: json(Template, 'replaced (or unchanged)'), 201: json(Template, 'created'),
    ...problems(400, 401, 403, 404, 412, 413, 415, 429),
  },
});

const del = createRoute({
  method: 'delete', path, tags, operationId: 'deleteTemplate', summary: 'Delete a template and its versions, unless an app deploys it (operator)',
  middleware: [tenantRole('operator')] as const,
  request: { params: TemplateParams, headers: WriteHeaders },
  responses: { 204: { description: 'deleted' }, ...problems(400, 401, 403, 404, 409, 412, 429) },
});

export function mountTemplates(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const tenantId = c.get('access').tenant.uid;
    const page = await namePage<TemplateRow>(c, templates, eq(templates.tenantId, tenantId), `templates|${tenantId}`, c.req.valid('query'));
    return c.json({ items: page.rows.map(render), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const { template } = c.req.valid('param');
    const row = await getResource<TemplateRow>(c.get('db'), templates, c.get('access').tenant.uid, template);
    if (!row) throw notFound('template', template);
    return sendResource(c, render(row)) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { template } = c.req.valid('param');
      const body = c.req.valid('json');
      const input = { name: template, labels: body.metadata?.labels ?? {}, spec: body.spec };
      const r = await putTemplate(c.get('db'), actorOf(c), c.get('access').tenant.uid, input, preconditionsOf(c));
      return sendResource(c, render(r.row), r.created ? 201 : 200) as never;
    },
    putHook('template'),
  );

  app.openapi(del, async (c) => {
    const { template } = c.req.valid('param');
    const gone = await deleteTemplate(c.get('db'), actorOf(c), c.get('access').tenant.uid, template, preconditionsOf(c));
    if (!gone) throw notFound('template', template);
    return c.body(null, 204);
  });
}
