import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import { CATALOG } from '../catalog/index.js';
import { json, problems } from './common.js';

const CatalogTemplate = z
  .object({
    name: z.string(),
    description: z.string(),
    category: z.string(),
    versions: z.array(z.object({
      version: z.string(),
      parameters: z.record(z.string(), z.unknown()),
      manifests: z.union([z.string(), z.array(z.unknown())]),
    })),
  })
  .openapi('CatalogTemplate');

const list = createRoute({
  method: 'get', path: '/v1/catalog/templates', tags: ['catalog'], operationId: 'listCatalogTemplates',
  summary: 'The built-in templates every tenant may deploy (`template: { name, version, catalog: true }`)',
  responses: {
    200: json(z.object({ items: z.array(CatalogTemplate), nextCursor: z.string().nullable() }).openapi('CatalogTemplateList'), 'every catalog template'),
    ...problems(401, 429),
  },
});

export function mountCatalog(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, (c) => c.json({ items: CATALOG, nextCursor: null }, 200));
}
