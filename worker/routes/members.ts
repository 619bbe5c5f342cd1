import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { members, type MemberRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import { RoleSchema } from '../auth/roles.js';
import type { AppEnv } from '../context.js';
import { deleteMember } from '../domain/members/delete.js';
import { putMember } from '../domain/members/put.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource, toResource } from '../lib/respond.js';
import { getResource } from '../lib/resource-store.js';
import { ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const MemberSpec = z.strictObject({ role: RoleSchema });
const Member = resourceOut('Member', MemberSpec, z.object({}));
const render = (row: MemberRow) => toResource<z.infer<typeof MemberSpec>, object>(row, {});

const Subject = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, { error: 'the subject is printable ASCII without spaces' })
  .openapi({ param: { name: 'subject', in: 'path', description: 'the OIDC `sub` of the user' } });
const MemberParams = TenantParams.extend({ subject: Subject });

const tags = ['members'];
const path = '/v1/tenants/{tenant}/members/{subject}';

const list = createRoute({
  operationId: 'listMembers', method: 'get', path: '/v1/tenants/{tenant}/members', tags, summary: 'List members',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: ListQuery },
  responses: { 200: json(listOut('MemberList', Member), 'a page of members'), ...problems(400, 401, 404) },
});

const get = createRoute({
  operationId: 'getMember', method: 'get', path, tags, summary: 'Read a member',
  middleware: [tenantRole('viewer')] as const,
  request: { params: MemberParams },
  responses: { 200: json(Member, 'the member'), 304: { description: 'not modified' }, ...problems(401, 404) },
});

const put = createRoute({
  operationId: 'putMember', method: 'put', path, tags, summary: 'Add a member or change their role (owner)',
  middleware: [tenantRole('owner')] as const,
  request: { params: MemberParams, headers: WriteHeaders, body: jsonBody(putBody(MemberSpec)) },
  responses: {
    200: json(Member, 'replaced (or unchanged)'), 201: json(Member, 'created'),
    ...problems(400, 401, 403, 404, 409, 412, 413),
  },
});

const del = createRoute({
  operationId: 'deleteMember', method: 'delete', path, tags, summary: 'Remove a member (owner); the last owner cannot be removed',
  middleware: [tenantRole('owner')] as const,
  request: { params: MemberParams, headers: WriteHeaders },
  responses: { 204: { description: 'removed' }, ...problems(401, 403, 404, 409, 412) },
});

export function mountMembers(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const tenantId = c.get('access').tenant.uid;
    const page = await namePage<MemberRow>(c, members, eq(members.tenantId, tenantId), `members|${tenantId}`, c.req.valid('query'));
    return c.json({ items: page.rows.map(render), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const { subject } = c.req.valid('param');
    const row = await getResource<MemberRow>(c.get('db'), members, c.get('access').tenant.uid, subject);
    if (!row) throw notFound('member', subject);
    return sendResource(c, render(row)) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { subject } = c.req.valid('param');
      const body = c.req.valid('json');
      const input = { name: subject, labels: body.metadata?.labels ?? {}, spec: body.spec };
      const r = await putMember(c.get('db'), actorOf(c), c.get('access').tenant.uid, input, preconditionsOf(c));
      return sendResource(c, render(r.row), r.created ? 201 : 200) as never;
    },
    putHook('subject'),
  );

  app.openapi(del, async (c) => {
    const { subject } = c.req.valid('param');
    const gone = await deleteMember(c.get('db'), actorOf(c), c.get('access').tenant.uid, subject, preconditionsOf(c));
    if (!gone) throw notFound('member', subject);
    return c.body(null, 204);
  });
}
