import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditEvents, type AuditEventRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { idPages } from '../lib/cursor.js';
import { PageQuery } from '../lib/schemas.js';
import { json, problems, TenantParams } from './common.js';

const AuditEvent = z
  .object({
    id: z.string(),
    time: z.string(),
    actor: z.object({ kind: z.string(), id: z.string() }),
    action: z.string().openapi({ example: 'member.update' }),
    object: z.object({ kind: z.string(), name: z.string() }),
    beforeGeneration: z.number().int().nullable(),
    afterGeneration: z.number().int().nullable(),
    requestId: z.string(),
    request: z.object({ verb: z.string(), path: z.string(), status: z.number().int() }).nullable()
      .openapi({ description: 'for `cluster.proxy`: the request the cluster gateway carried and the API server’s answer' }),
  })
  .openapi('AuditEvent');

const render = (e: AuditEventRow) => ({
  id: String(e.id),
  time: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  object: { kind: e.objectKind, name: e.objectName },
  beforeGeneration: e.beforeGeneration,
  afterGeneration: e.afterGeneration,
  requestId: e.requestId,
  request: e.request ?? null,
});

const list = createRoute({
  operationId: 'listAuditEvents', method: 'get', path: '/v1/tenants/{tenant}/audit-events', tags: ['audit'],
  summary: 'Who changed what and when, newest first',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: PageQuery },
  responses: {
    200: json(z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() }), 'a page of events'),
    ...problems(400, 401, 404),
  },
});

export function mountAuditEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const tenantId = c.get('access').tenant.uid;
    const pages = idPages(c.get('deps').keys.cursorKey, `audit|${tenantId}`, q);
    const before = await pages.before();
    const rows = await c.get('db')
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), before ? lt(auditEvents.id, before) : undefined))
      .orderBy(desc(auditEvents.id))
      .limit(pages.limit + 1);
    const { items, nextCursor } = await pages.page(rows);
    return c.json({ items: items.map(render), nextCursor }, 200);
  });
}
