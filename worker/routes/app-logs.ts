import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { mergedLogs, type ClusterLogSource } from '../gateway/app-logs.js';
import { clusterIdentity } from '../gateway/identity.js';
import { podSelectors } from '../gateway/pod-selectors.js';
import { clusterSender, peerSender } from '../gateway/cluster-sender.js';
import { gatewayPath } from '../domain/gateway/kubeconfig.js';
import { notFound } from '../lib/problem.js';
import { DnsLabel } from '../lib/schemas.js';
import { AppParams, loadApp } from './app-params.js';
import { problems } from './common.js';

/** Clusters one logs request reads at once: name one (`?cluster=`) to read another. */
const MAX_CLUSTERS = 50;

const Line = z.union([
  z.object({ cluster: z.string(), namespace: z.string(), pod: z.string(), container: z.string(), at: z.string(), line: z.string() }),
  z.object({ cluster: z.string(), error: z.string() }),
]).openapi('LogLine');

const logs = createRoute({
  operationId: 'getAppLogs', method: 'get', path: '/v1/tenants/{tenant}/apps/{app}/logs', tags: ['gateway'],
  summary: "The app's pod logs on its clusters, merged as they arrive (NDJSON); one error line per cluster that cannot answer",
  middleware: [tenantRole('viewer')] as const,
  request: {
    params: AppParams,
    query: z.object({
      cluster: DnsLabel.optional().openapi({ param: { description: 'only this placed cluster' } }),
      container: z.string().min(1).max(253).optional(),
      tailLines: z.coerce.number().int().min(0).max(100_000).optional(),
      sinceSeconds: z.coerce.number().int().min(1).max(30 * 86_400).optional(),
      follow: z.enum(['true', 'false']).optional().openapi({ param: { description: 'keep streaming new lines (at most 30 minutes)' } }),
    }),
  },
  responses: {
    200: { description: 'one JSON object per line', content: { 'application/x-ndjson': { schema: Line } } },
    ...problems(400, 401, 404),
  },
});

export function mountAppLogs(app: OpenAPIHono<AppEnv>) {
  app.openapi(logs, async (c) => {
    const q = c.req.valid('query');
    const row = await loadApp(c, c.req.valid('param').app);
    // the content each placed cluster holds now: its workloads say where the pods are
    const placed = rowsOf<{ uid: string; name: string; tenant_id: string; objects: { kind?: string; metadata?: { namespace?: string }; spec?: unknown }[] | null }>(await c.get('db').execute(sql`
      select c.uid, c.name, c.tenant_id, rc.objects
      from placements p join clusters c on c.uid = p.cluster_uid left join rendered_contents rc on rc.hash = p.content_hash
      where p.owner_uid = ${row.uid} and p.owner_kind = 'App' ${q.cluster ? sql`and c.name = ${q.cluster}` : sql``}
      order by c.name limit ${MAX_CLUSTERS}`));
    if (q.cluster && placed.length === 0) throw notFound('cluster of this app', q.cluster);
    const namespace = (row.spec as { namespace: string }).namespace;
    const peers = c.get('deps').gatewayPeers;
    const tenant = c.get('access').tenant.name;
    const sources: ClusterLogSource[] = await Promise.all(placed.map(async (p) => {
      let send: ClusterLogSource['send'];
      try {
        send = clusterSender(c.get('deps').push, { uid: p.uid, name: p.name, tenantId: p.tenant_id });
      } catch (err) {
        // on Node another replica may hold this cluster's socket
        const holder = peers ? await peers.holder(p.uid) : undefined;
        send = holder ? peerSender(peers!, holder, gatewayPath(tenant, p.name), c.req.header('authorization') ?? '') : (err as Error);
      }
      return { name: p.name, send, selectors: podSelectors(p.objects ?? [], namespace) };
    }));
    await c.get('releaseDb')(); // a follow may last minutes
    const as = clusterIdentity(c.get('access').tenant.name, c.get('principal'), c.get('access').role);
    const body = mergedLogs(sources, { container: q.container, tailLines: q.tailLines, sinceSeconds: q.sinceSeconds, follow: q.follow === 'true' }, as, c.req.raw.signal);
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' } }) as never;
  });
}
