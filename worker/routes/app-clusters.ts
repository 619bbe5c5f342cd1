import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { reportedResources } from '../domain/status/reported-resources.js';
import { placementPage } from '../domain/status/placement-page.js';
import { byName, clusterPhases, withResources } from '../domain/status/rollup.js';
import { clampLimit, decodeCursor, encodeCursor } from '../lib/cursor.js';
import { PageQuery } from '../lib/schemas.js';
import type { AppSpec } from '../domain/apps/spec.js';
import { progressiveRollout, waveOf } from '../domain/rollout/spec.js';
import { PlacedStatus } from './app-schemas.js';
import { AppParams, loadApp } from './app-params.js';
import { json, problems } from './common.js';

const ClusterStatus = PlacedStatus.clusters.element
  .extend({ wave: z.number().int().optional().openapi({ description: 'the rollout wave that selects the cluster now (progressive rollouts)' }) })
  .openapi('AppClusterStatus');
const PHASES = ['Pending', 'Progressing', 'Ready', 'Failed', 'Unknown', 'Suspended'] as const;

const list = createRoute({
  method: 'get', path: '/v1/tenants/{tenant}/apps/{app}/clusters', tags: ['apps'], operationId: 'listAppClusters',
  summary: "The app's status on every placed cluster, by name, paged (status.clusters holds only the first 100)",
  middleware: [tenantRole('viewer')] as const,
  request: {
    params: AppParams,
    query: PageQuery.extend({ phase: z.enum(PHASES, { error: `phase must be one of ${PHASES.join(', ')}` }).optional() }),
  },
  responses: {
    200: json(z.object({ items: z.array(ClusterStatus), nextCursor: z.string().nullable() }).openapi('AppClusterList'), 'a page of clusters'),
    ...problems(400, 401, 404, 429),
  },
});

export function mountAppClusters(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const row = await loadApp(c, c.req.valid('param').app);
    const q = c.req.valid('query');
    const key = c.get('deps').keys.cursorKey;
    const binding = `app-clusters|${row.uid}|${q.phase ?? ''}`;
    const after = q.cursor ? String(await decodeCursor(key, binding, q.cursor)) : '';
    const limit = clampLimit(q.limit);
    const now = c.get('deps').now();
    const rollout = progressiveRollout(row.spec as unknown as AppSpec);
    // a cluster's phase for the app is worked out from its health and verdict, not stored: Postgres filters by it
    const { placed, more } = await placementPage(c.get('db'), row.uid, now, rollout?.deadline, { after, phase: q.phase, limit });
    const page = clusterPhases(placed, now, rollout?.deadline).sort(byName);
    const resources = await reportedResources(c.get('db'), { uid: row.uid, name: row.name, kind: 'App' }, page.map((p) => p.uid));
    const labels = new Map(placed.map((p) => [p.uid, p.labels]));
    const items = withResources(page, resources).map((s, i) => (rollout ? { ...s, wave: waveOf(rollout.waves, labels.get(page[i]!.uid)!) } : s));
    const nextCursor = more && items.length > 0 ? await encodeCursor(key, binding, items.at(-1)!.name) : null;
    return c.json({ items, nextCursor }, 200);
  });
}
