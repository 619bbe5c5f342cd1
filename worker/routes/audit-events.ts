import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditEvents, type AuditEventRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { clampLimit, decodeCursor, encodeCursor } from '../lib/cursor.js';
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
  })
  .openapi('AuditEvent');

const Query = z.object({
  limit: z.string().regex(/^[1-9][0-9]{0,5}$/, { error: 'limit must be a positive integer' }).optional(),
  cursor: z.string().optional(),
});

const render = (e: AuditEventRow) => ({
  id: String(e.id),
  time: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  object: { kind: e.objectKind, name: e.objectName },
  beforeGeneration: e.beforeGeneration,
  afterGeneration: e.afterGeneration,
  requestId: e.requestId,
});

const list = createRoute({
  operationId: 'listAuditEvents', method: 'get', path: '/v1/tenants/{tenant}/audit-events', tags: ['audit'],
  summary: 'Who changed what and when, newest first',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: Query },
  responses: {
    200: json(z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() }), 'a page of events'),
    ...problems(400, 401, 404),
  },
});

export function mountAuditEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const tenantId = c.var.access.tenant.uid;
    const key = c.var.deps.keys.cursorKey;
    const binding = `audit|${tenantId}`;
    const before = q.cursor ? Number(await decodeCursor(key, binding, q.cursor)) : undefined;
    const limit = clampLimit(q.limit);
    const rows = await c.var.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), before ? lt(auditEvents.id, before) : undefined))
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? await encodeCursor(key, binding, page[page.length - 1]!.id) : null;
    return c.json({ items: page.map(render), nextCursor }, 200);
  });
}
