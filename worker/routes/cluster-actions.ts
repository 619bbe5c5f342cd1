import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { createJoinToken, JOIN_TOKEN_DEFAULT_TTL_SECONDS } from '../domain/clusters/join-token.js';
import { revokeCluster } from '../domain/clusters/revoke.js';
import { viewCluster } from '../domain/clusters/view.js';
import { idempotent } from '../lib/idempotency.js';
import { pushTargetOf } from '../push/push.js';
import { ClusterParams, loadCluster } from './cluster-params.js';
import { actorOf, IdempotencyHeaders, json, problems } from './common.js';

const JoinTokenBody = z.strictObject({
  expiresInSeconds: z.number().int().min(60).max(7 * 24 * 3600).optional()
    .openapi({ description: `default ${JOIN_TOKEN_DEFAULT_TTL_SECONDS}` }),
});
const JoinToken = z
  .object({
    token: z.string().openapi({ description: 'single use; shown only in this answer' }),
    expiresAt: z.string(),
    installUrl: z.string(),
    command: z.string().openapi({ example: 'kubectl apply -f https://…/v1/join/fpj_…/install.yaml' }),
  })
  .openapi('JoinToken');

const tags = ['clusters'];

const joinTokens = createRoute({
  operationId: 'createJoinToken', method: 'post', path: '/v1/tenants/{tenant}/clusters/{cluster}/join-tokens', tags,
  summary: 'A single-use token and the one command that installs the connector (admin)',
  middleware: [tenantRole('admin'), idempotent] as const,
  request: {
    params: ClusterParams, headers: IdempotencyHeaders,
    body: { required: false, content: { 'application/json': { schema: JoinTokenBody } } },
  },
  responses: { 201: json(JoinToken, 'created'), ...problems(400, 401, 403, 404, 409, 413, 422) },
});

const revoke = createRoute({
  operationId: 'revokeCluster', method: 'post', path: '/v1/tenants/{tenant}/clusters/{cluster}/revoke', tags,
  summary: "Invalidate the cluster's connector credential at once; the connector must join again (admin)",
  middleware: [tenantRole('admin'), idempotent] as const,
  request: { params: ClusterParams, headers: IdempotencyHeaders },
  responses: { 200: { description: 'revoked; the cluster as it is now' }, ...problems(401, 403, 404) },
});

export function mountClusterActions(app: OpenAPIHono<AppEnv>) {
  app.openapi(joinTokens, async (c) => {
    const cluster = await loadCluster(c, c.req.valid('param').cluster);
    const ttl = c.req.valid('json').expiresInSeconds ?? JOIN_TOKEN_DEFAULT_TTL_SECONDS;
    const { token, expiresAt } = await createJoinToken(c.get('db'), actorOf(c), cluster, ttl, c.get('deps').now());
    const base = c.get('deps').publicUrl ?? new URL(c.req.url).origin;
    const installUrl = `${base}/v1/join/${token}/install.yaml`;
    return c.json({ token, expiresAt: expiresAt.toISOString(), installUrl, command: `kubectl apply -f ${installUrl}` }, 201);
  });

  app.openapi(revoke, async (c) => {
    const cluster = await loadCluster(c, c.req.valid('param').cluster);
    await revokeCluster(c.get('db'), actorOf(c), cluster);
    await c.get('deps').push.disconnect(pushTargetOf(cluster));
    return c.json(await viewCluster(c.get('db'), cluster, c.get('deps').now()), 200) as never;
  });
}
