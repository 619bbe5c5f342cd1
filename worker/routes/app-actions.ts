import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { appRevisions } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { planAppChange } from '../domain/apps/plan.js';
import { rollbackApp } from '../domain/apps/rollback.js';
import { settleApps } from '../domain/apps/settle.js';
import { recordAudit } from '../domain/audit.js';
import { lockPlacements } from '../domain/placement/lock.js';
import type { AppSpec as AppSpecT } from '../domain/apps/spec.js';
import { viewApp } from '../domain/apps/view.js';
import { clampLimit, decodeCursor, encodeCursor } from '../lib/cursor.js';
import { idempotent } from '../lib/idempotency.js';
import { preconditionsOf, sendResource } from '../lib/respond.js';
import { ListQuery } from '../lib/schemas.js';
import { publishAll } from '../push/publish.js';
import { AppSpec } from './app-schemas.js';
import { AppParams, loadApp } from './app-params.js';
import { App } from './apps.js';
import { actorOf, IdempotencyHeaders, json, jsonBody, problems } from './common.js';

const tags = ['apps'];
const base = '/v1/tenants/{tenant}/apps/{app}';

const ClusterPlan = z.object({
  name: z.string(),
  action: z.enum(['create', 'update', 'delete', 'none']),
  objects: z.array(z.record(z.string(), z.unknown())),
  diff: z.string().openapi({ description: 'unified diff of the YAML, from what is desired now to what the spec gives' }),
});

const plan = createRoute({
  method: 'post', path: `${base}/plan`, tags, operationId: 'planApp',
  summary: 'What PUTting this spec would do on each cluster: action, rendered objects, diff. Writes nothing',
  middleware: [tenantRole('viewer')] as const,
  request: { params: AppParams, body: jsonBody(z.strictObject({ spec: AppSpec })) },
  responses: {
    200: json(z.object({ clusters: z.array(ClusterPlan) }).openapi('AppPlan'), 'the plan, per cluster'),
    ...problems(400, 401, 404, 413, 415, 429),
  },
});

const Revision = z.object({ revision: z.number().int(), generation: z.number().int(), createdAt: z.string(), spec: AppSpec });
const revisions = createRoute({
  method: 'get', path: `${base}/revisions`, tags, operationId: 'listAppRevisions', summary: 'Every spec the app was given, newest first',
  middleware: [tenantRole('viewer')] as const,
  request: { params: AppParams, query: ListQuery.omit({ labelSelector: true }) },
  responses: {
    200: json(z.object({ items: z.array(Revision), nextCursor: z.string().nullable() }).openapi('AppRevisionList'), 'a page of revisions'),
    ...problems(400, 401, 404, 429),
  },
});

const rollback = createRoute({
  method: 'post', path: `${base}/rollback`, tags, operationId: 'rollbackApp',
  summary: 'Give the app the spec of an earlier revision, as a new generation (operator)',
  middleware: [tenantRole('operator'), idempotent] as const,
  request: {
    params: AppParams, headers: IdempotencyHeaders,
    body: jsonBody(z.strictObject({ revision: z.number().int().min(1) })),
  },
  responses: { 200: json(App, 'the app with the earlier spec'), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429) },
});

const resume = createRoute({
  method: 'post', path: `${base}/resume`, tags, operationId: 'resumeApp',
  summary: 'Continue a paused progressive rollout (operator)',
  middleware: [tenantRole('operator'), idempotent] as const,
  request: { params: AppParams, headers: IdempotencyHeaders },
  responses: { 200: json(App, 'the app, rollout resumed'), ...problems(401, 403, 404, 409, 422, 429) },
});

export function mountAppActions(app: OpenAPIHono<AppEnv>) {
  app.openapi(plan, async (c) => {
    const { app: name } = c.req.valid('param');
    const { spec } = c.req.valid('json');
    return c.json(await planAppChange(c.get('db'), c.get('access').tenant, name, spec as AppSpecT, c.get('deps').renderer), 200);
  });

  app.openapi(revisions, async (c) => {
    const row = await loadApp(c, c.req.valid('param').app);
    const q = c.req.valid('query');
    const key = c.get('deps').keys.cursorKey;
    const binding = `revisions|${row.uid}`;
    const before = q.cursor ? Number(await decodeCursor(key, binding, q.cursor)) : undefined;
    const limit = clampLimit(q.limit);
    const rows = await c.get('db')
      .select()
      .from(appRevisions)
      .where(and(eq(appRevisions.appUid, row.uid), before ? lt(appRevisions.revision, before) : undefined))
      .orderBy(desc(appRevisions.revision))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? await encodeCursor(key, binding, page.at(-1)!.revision) : null;
    const items = page.map((r) => ({ revision: r.revision, generation: r.generation, createdAt: r.createdAt.toISOString(), spec: r.spec as unknown as AppSpecT }));
    return c.json({ items, nextCursor }, 200);
  });

  app.openapi(rollback, async (c) => {
    const { app: name } = c.req.valid('param');
    const r = await rollbackApp(c.get('db'), actorOf(c), c.get('access').tenant, name, c.req.valid('json').revision, preconditionsOf(c), c.get('deps').renderer, c.get('deps').now());
    await publishAll(c, r.pushes);
    return sendResource(c, await viewApp(c.get('db'), r.row, c.get('deps').now())) as never;
  });

  app.openapi(resume, async (c) => {
    const row = await loadApp(c, c.req.valid('param').app);
    const now = c.get('deps').now();
    const pushes = await c.get('db').transaction(async (tx) => {
      await lockPlacements(tx, row.tenantId);
      const pushes = await settleApps(tx, [row.uid], now, { resume: true });
      await recordAudit(tx, actorOf(c), { tenantId: row.tenantId, action: 'resume', kind: 'app', name: row.name, before: row });
      return pushes;
    });
    await publishAll(c, pushes);
    return sendResource(c, await viewApp(c.get('db'), (await loadApp(c, row.name)), now)) as never;
  });
}
