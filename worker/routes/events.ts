import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { events } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { EVENT_KINDS as KINDS, eventView } from '../domain/events.js';
import { idPages } from '../lib/cursor.js';
import { PageQuery } from '../lib/schemas.js';
import { json, problems, TenantParams } from './common.js';

const Event = z
  .object({
    id: z.string(),
    kind: z.enum(KINDS),
    object: z.string().openapi({ example: 'edge-eu-1' }),
    reason: z.string().openapi({ example: 'ClusterPhaseChanged' }),
    message: z.string().openapi({ example: 'Ready → Unknown' }),
    at: z.string(),
  })
  .openapi('Event');

const Query = PageQuery.extend({
  kind: z.enum(KINDS, { error: `kind must be one of ${KINDS.join(', ')}` }).optional(),
  object: z.string().min(1).max(253).optional().openapi({ description: "only this object's events (with `kind`, of that kind)" }),
});

const list = createRoute({
  operationId: 'listEvents', method: 'get', path: '/v1/tenants/{tenant}/events', tags: ['events'],
  summary: 'What happened to clusters, apps and namespaces, newest first',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: Query },
  responses: {
    200: json(z.object({ items: z.array(Event), nextCursor: z.string().nullable() }), 'a page of events'),
    ...problems(400, 401, 404),
  },
});

export function mountEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const tenantId = c.get('access').tenant.uid;
    // the filters are part of what a cursor is for: one made for another listing is refused
    const pages = idPages(c.get('deps').keys.cursorKey, `events|${tenantId}|${q.kind ?? ''}|${q.object ?? ''}`, q);
    const before = await pages.before();
    const rows = await c.get('db')
      .select()
      .from(events)
      .where(and(
        eq(events.tenantId, tenantId),
        q.kind ? eq(events.objectKind, q.kind) : undefined,
        q.object ? eq(events.objectName, q.object) : undefined,
        before ? lt(events.id, before) : undefined,
      ))
      .orderBy(desc(events.id))
      .limit(pages.limit + 1);
    const { items, nextCursor } = await pages.page(rows);
    return c.json({ items: items.map(eventView), nextCursor }, 200);
  });
}
