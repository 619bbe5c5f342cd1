import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { clusters, joinTokens, tenants } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import { installManifest } from '../fleet/install-manifest.js';
import { sha256Hex } from '../lib/crypto.js';
import { ApiError } from '../lib/problem.js';
import { problems } from './common.js';

const install = createRoute({
  operationId: 'getInstallManifest', method: 'get', path: '/v1/join/{joinToken}/install.yaml', tags: ['clusters'], security: [],
  summary: 'The connector install manifest for `kubectl apply -f` (the join token in the path is the secret)',
  request: { params: z.object({ joinToken: z.string().openapi({ param: { name: 'joinToken', in: 'path' } }) }) },
  responses: {
    200: { description: 'Namespace, ServiceAccount, RBAC, Secret and Deployment', content: { 'application/yaml': { schema: z.string() } } },
    ...problems(404),
  },
});

export function mountJoin(app: OpenAPIHono<AppEnv>) {
  app.openapi(install, async (c) => {
    const token = c.req.valid('param').joinToken;
    const now = c.get('deps').now();
    const [row] = await c.get('db')
      .select({ cluster: clusters.name, tenant: tenants.name })
      .from(joinTokens)
      .innerJoin(clusters, eq(clusters.uid, joinTokens.clusterUid))
      .innerJoin(tenants, eq(tenants.uid, clusters.tenantId))
      .where(and(eq(joinTokens.secretHash, await sha256Hex(token)), isNull(joinTokens.usedAt), gt(joinTokens.expiresAt, now)))
      .limit(1);
    if (!row) throw new ApiError(404, 'not_found', 'this join link is unknown, already used or expired');
    const yaml = installManifest({
      controlPlaneUrl: c.get('deps').publicUrl ?? new URL(c.req.url).origin,
      joinToken: token,
      tenant: row.tenant,
      cluster: row.cluster,
    });
    c.header('Cache-Control', 'no-store');
    return c.body(yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }) as never;
  });
}
