import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { apiTokens, type ApiTokenRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import { RoleSchema } from '../auth/roles.js';
import type { AppEnv } from '../context.js';
import { createToken } from '../domain/tokens/create.js';
import { revokeToken } from '../domain/tokens/revoke.js';
import { idempotent } from '../lib/idempotency.js';
import { namePage } from '../lib/list.js';
import { notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource, toResource } from '../lib/respond.js';
import { getResource } from '../lib/resource-store.js';
import { DnsLabel, ListQuery, listOut, MetadataIn, resourceOut } from '../lib/schemas.js';
import { actorOf, IdempotencyHeaders, json, jsonBody, problems, TenantParams, WriteHeaders } from './common.js';

const TokenSpec = z.strictObject({
  role: RoleSchema,
  description: z.string().max(1024),
  expiresInSeconds: z.number().int().min(60).max(366 * 24 * 3600).optional(),
});
const TokenStatus = z.object({ expiresAt: z.string().nullable(), createdBy: z.string() });
const Token = resourceOut('ApiToken', TokenSpec, TokenStatus);
const Minted = Token.extend({ token: z.string().openapi({ description: 'the secret; shown only in this answer' }) }).openapi('MintedApiToken');
const CreateBody = z.strictObject({ metadata: MetadataIn.omit({ name: true }).optional(), spec: TokenSpec });

const render = (row: ApiTokenRow) =>
  toResource<z.infer<typeof TokenSpec>, z.infer<typeof TokenStatus>>(row, {
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdBy: row.createdBy,
  });

const tags = ['tokens'];
const TokenParams = TenantParams.extend({ id: DnsLabel.openapi({ param: { name: 'id', in: 'path' } }) });

const create = createRoute({
  operationId: 'createToken', method: 'post', path: '/v1/tenants/{tenant}/tokens', tags, summary: 'Mint an API token (owner)',
  middleware: [tenantRole('owner'), idempotent] as const,
  request: { params: TenantParams, headers: IdempotencyHeaders, body: jsonBody(CreateBody) },
  responses: { 201: json(Minted, 'minted; `token` is shown only now'), ...problems(400, 401, 403, 404, 409, 413, 422) },
});

const list = createRoute({
  operationId: 'listTokens', method: 'get', path: '/v1/tenants/{tenant}/tokens', tags, summary: 'List API tokens (never their secrets)',
  middleware: [tenantRole('owner')] as const,
  request: { params: TenantParams, query: ListQuery },
  responses: { 200: json(listOut('ApiTokenList', Token), 'a page of tokens'), ...problems(400, 401, 403, 404) },
});

const get = createRoute({
  operationId: 'getToken', method: 'get', path: '/v1/tenants/{tenant}/tokens/{id}', tags, summary: 'Read an API token',
  middleware: [tenantRole('owner')] as const,
  request: { params: TokenParams },
  responses: { 200: json(Token, 'the token'), 304: { description: 'not modified' }, ...problems(401, 403, 404) },
});

const del = createRoute({
  operationId: 'deleteToken', method: 'delete', path: '/v1/tenants/{tenant}/tokens/{id}', tags, summary: 'Revoke an API token, effective at once',
  middleware: [tenantRole('owner')] as const,
  request: { params: TokenParams, headers: WriteHeaders },
  responses: { 204: { description: 'revoked' }, ...problems(401, 403, 404, 412) },
});

export function mountTokens(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const body = c.req.valid('json');
    const { tenant, role } = c.get('access');
    const { row, token } = await createToken(
      c.get('db'), actorOf(c), tenant.uid, role, body.spec, body.metadata?.labels ?? {}, c.get('deps').now(),
    );
    return sendResource(c, { ...render(row), token }, 201) as never;
  });

  app.openapi(list, async (c) => {
    const tenantId = c.get('access').tenant.uid;
    const page = await namePage<ApiTokenRow>(c, apiTokens, eq(apiTokens.tenantId, tenantId), `tokens|${tenantId}`, c.req.valid('query'));
    return c.json({ items: page.rows.map(render), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const row = await getResource<ApiTokenRow>(c.get('db'), apiTokens, c.get('access').tenant.uid, id);
    if (!row) throw notFound('token', id);
    return sendResource(c, render(row)) as never;
  });

  app.openapi(del, async (c) => {
    const { id } = c.req.valid('param');
    const gone = await revokeToken(c.get('db'), actorOf(c), c.get('access').tenant.uid, id, preconditionsOf(c));
    if (!gone) throw notFound('token', id);
    // revoked on every replica before this answers
    await c.get('deps').push.forget(c.get('access').tenant.uid);
    return c.body(null, 204);
  });
}
