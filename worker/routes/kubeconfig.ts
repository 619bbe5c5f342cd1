import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { kubeconfigYaml } from '../domain/gateway/kubeconfig.js';
import { serverUrl } from '../lib/openapi.js';
import { ClusterParams, loadCluster } from './cluster-params.js';
import { problems } from './common.js';

const kubeconfig = createRoute({
  operationId: 'getClusterKubeconfig', method: 'get', path: '/v1/tenants/{tenant}/clusters/{cluster}/kubeconfig', tags: ['gateway'],
  summary: "A kubeconfig for the cluster through the gateway; its user runs `fleetplane credential` (no secret in the file)",
  middleware: [tenantRole('viewer')] as const,
  request: { params: ClusterParams },
  responses: {
    200: { description: 'kubeconfig (YAML)', content: { 'application/yaml': { schema: z.string() } } },
    ...problems(401, 404),
  },
});

export function mountKubeconfig(app: OpenAPIHono<AppEnv>) {
  app.openapi(kubeconfig, async (c) => {
    const cluster = await loadCluster(c, c.req.valid('param').cluster);
    const yaml = kubeconfigYaml({ base: serverUrl(c.get('deps').publicUrl, c), tenant: c.get('access').tenant.name, cluster: cluster.name });
    return c.body(yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-store' }) as never;
  });
}
