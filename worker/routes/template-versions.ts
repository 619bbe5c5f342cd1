import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { templates, templateVersions, type TemplateVersionRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { putTemplateVersion } from '../domain/templates/put-version.js';
import { budgetErrors } from '../domain/templates/check-budget.js';
import { namePage } from '../lib/list.js';
import { ApiError, invalid, notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource, toResource } from '../lib/respond.js';
import { getResource } from '../lib/resource-store.js';
import { ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { checkParameterSchema, defaultsOf, parseManifests } from '../render/index.js';
import { parametersOf } from '../domain/templates/resolve.js';
import { SemVer } from './app-schemas.js';
import { actorOf, json, jsonBody, problems, putHook, WriteHeaders } from './common.js';
import { TemplateParams } from './templates.js';

const VersionSpec = z.strictObject({
  parameters: z.record(z.string(), z.unknown()).optional()
    .openapi({ description: 'JSON Schema (2020-12) of the values; absent: any object' }),
  manifests: z.union([z.string(), z.array(z.unknown())])
    .openapi({ description: 'YAML text (several documents) or an array of objects, rendered with json-e' }),
});
type VersionSpecT = z.infer<typeof VersionSpec>;
const VersionStatus = z.object({
  defaults: z.record(z.string(), z.unknown()).openapi({ description: 'the values the parameter schema defaults to' }),
  objects: z.number().int().openapi({ description: 'documents in the manifests' }),
});
const TemplateVersion = resourceOut('TemplateVersion', VersionSpec, VersionStatus);

function render(row: TemplateVersionRow) {
  const spec = row.spec as unknown as VersionSpecT;
  const parsed = parseManifests(spec.manifests);
  return toResource<VersionSpecT, z.infer<typeof VersionStatus>>(row, {
    defaults: defaultsOf(parametersOf(spec)),
    objects: parsed.ok ? parsed.docs.length : 0,
  });
}

const VersionParams = TemplateParams.extend({ version: SemVer.openapi({ param: { name: 'version', in: 'path' } }) });
const tags = ['templates'];
const path = '/v1/tenants/{tenant}/templates/{template}/versions/{version}';

const list = createRoute({
  method: 'get', path: '/v1/tenants/{tenant}/templates/{template}/versions', tags, operationId: 'listTemplateVersions',
  summary: 'List a template’s versions',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TemplateParams, query: ListQuery },
  responses: { 200: json(listOut('TemplateVersionList', TemplateVersion), 'a page of versions'), ...problems(400, 401, 404, 429) },
});

const get = createRoute({
  method: 'get', path, tags, operationId: 'getTemplateVersion', summary: 'Read a template version',
  middleware: [tenantRole('viewer')] as const,
  request: { params: VersionParams },
  responses: { 200: json(TemplateVersion, 'the version'), 304: { description: 'not modified' }, ...problems(400, 401, 404, 429) },
});

const put = createRoute({
  method: 'put', path, tags, operationId: 'putTemplateVersion',
  summary: 'Publish a template version (operator); immutable: the same content again is 200, other content 409',
  middleware: [tenantRole('operator')] as const,
  request: { params: VersionParams, headers: WriteHeaders, body: jsonBody(putBody(VersionSpec)) },
  responses: {
    200: json(TemplateVersion, 'already stored with this content'), 201: json(TemplateVersion, 'created'),
    ...problems(400, 401, 403, 404, 409, 412, 413, 415, 429),
  },
});

async function parentOf(c: Context<AppEnv>, name: string) {
  const row = await getResource(c.get('db'), templates, c.get('access').tenant.uid, name);
  if (!row) throw notFound('template', name);
  return row;
}

/** The parameter schema must be a schema and the manifests must parse, within the size limits. */
function checkVersionSpec(spec: VersionSpecT) {
  const parsed = parseManifests(spec.manifests);
  const errors = [...checkParameterSchema(parametersOf(spec)), ...(parsed.ok ? [] : parsed.errors)];
  if (!parsed.ok && parsed.status === 413) throw new ApiError(413, 'body_too_large', parsed.errors.map((e) => e.message).join('; '), parsed.errors.map((e) => ({ ...e, in: 'body' as const })));
  if (errors.length > 0) throw invalid(errors.map((e) => ({ ...e, in: 'body' as const })));
}

export function mountTemplateVersions(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const { template } = c.req.valid('param');
    const parent = await parentOf(c, template);
    const page = await namePage<TemplateVersionRow>(c, templateVersions, eq(templateVersions.templateUid, parent.uid), `versions|${parent.uid}`, c.req.valid('query'));
    return c.json({ items: page.rows.map(render), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const { template, version } = c.req.valid('param');
    const [row] = await c.get('db')
      .select({ v: templateVersions })
      .from(templateVersions)
      .innerJoin(templates, eq(templates.uid, templateVersions.templateUid))
      .where(and(eq(templates.tenantId, c.get('access').tenant.uid), eq(templates.name, template), eq(templateVersions.name, version)));
    if (!row) throw notFound('template version', `${template}@${version}`);
    return sendResource(c, render(row.v)) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { template, version } = c.req.valid('param');
      const body = c.req.valid('json');
      checkVersionSpec(body.spec);
      const tenant = c.get('access').tenant;
      const overBudget = await budgetErrors(c.get('deps').renderer, tenant.name, template, version, body.spec);
      if (overBudget.length > 0) throw invalid(overBudget.map((e) => ({ ...e, in: 'body' as const })));
      const input = { name: version, labels: body.metadata?.labels ?? {}, spec: body.spec as Record<string, unknown> };
      const r = await putTemplateVersion(c.get('db'), actorOf(c), c.get('access').tenant.uid, template, input, preconditionsOf(c));
      return sendResource(c, render(r.row), r.created ? 201 : 200) as never;
    },
    putHook('version'),
  );
}
