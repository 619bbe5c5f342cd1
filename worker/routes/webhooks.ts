import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { webhooks, type WebhookRow } from '../../db/schema/index.js';
import { tenantRole } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { deleteWebhook } from '../domain/webhooks/delete.js';
import { putWebhook } from '../domain/webhooks/put.js';
import { attemptsOf, renderWebhook, viewWebhook } from '../domain/webhooks/view.js';
import { namePage } from '../lib/list.js';
import { invalid, notFound } from '../lib/problem.js';
import { preconditionsOf, sendResource } from '../lib/respond.js';
import { getResource } from '../lib/resource-store.js';
import { DnsLabel, ListQuery, listOut, putBody, resourceOut } from '../lib/schemas.js';
import { isValidSecret } from '../webhooks/secret.js';
import { checkUrl } from '../webhooks/url-policy.js';
import { actorOf, json, jsonBody, problems, putHook, TenantParams, WriteHeaders } from './common.js';

const URL_RULE = 'must be an http:// or https:// URL without user or password, at most 2048 characters';

const WebhookUrl = z
  .string()
  .max(2048, { error: URL_RULE })
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, { error: URL_RULE })
  .openapi({
    example: 'https://hooks.example.com/fleetplane',
    description: 'where deliveries are POSTed. A host that is, or resolves to, a loopback or private address is refused '
      + '(unless the server runs with FLEETPLANE_WEBHOOK_ALLOW_PRIVATE=true), a link-local one always; checked again at every delivery',
  });

const Reason = z.string().regex(/^[A-Z][A-Za-z0-9]{0,62}$/, { error: 'must be an event reason, e.g. ClusterPhaseChanged' });

const SECRET_DOC = 'Standard Webhooks signing secret: "whsec_" and the base64 of 24 to 64 bytes. Write-only: when omitted, '
  + 'a replace keeps the current secret and a create generates one. Answers show it only to the PUT that wrote or generated it; '
  + 'GET and lists never do.';

const WebhookSpecIn = z.strictObject({
  url: WebhookUrl,
  events: z.array(Reason).max(64).optional()
    .openapi({ description: 'event reasons to deliver (as GET /events names them); omitted or empty: every event', example: ['ClusterPhaseChanged'] }),
  secret: z.string().refine(isValidSecret, { error: 'must be "whsec_" followed by the base64 of a 24 to 64 byte key' }).optional()
    .openapi({ description: SECRET_DOC }),
});

const WebhookSpecOut = z.object({
  url: z.string(),
  events: z.array(z.string()).optional(),
  secret: z.string().optional().openapi({ description: SECRET_DOC }),
});

const Delivery = z
  .object({
    id: z.string().openapi({ description: 'the message’s webhook-id: the same on every attempt', example: 'msg_2f1c0e8a9b7d4c3e8f6a5b4c3d2e1f0a' }),
    type: z.string().openapi({ example: 'ClusterPhaseChanged' }),
    attempt: z.number().int().openapi({ description: '1 for the first attempt, up to 6 (after 1 s, 5 s, 30 s, 2 min, 10 min)' }),
    statusCode: z.number().int().nullable().openapi({ description: 'the receiver’s status; null when no answer came' }),
    error: z.string().optional().openapi({ description: 'why the attempt failed (the start of the answer’s body included)' }),
    at: z.string(),
  })
  .openapi('WebhookDelivery');

const WebhookStatus = z.object({
  deliveries: z.array(Delivery).openapi({ description: 'the newest 20 attempts, newest first' }),
});

const Webhook = resourceOut('Webhook', WebhookSpecOut, WebhookStatus);

export const WebhookParams = TenantParams.extend({ webhook: DnsLabel.openapi({ param: { name: 'webhook', in: 'path' } }) });

const tags = ['webhooks'];
const path = '/v1/tenants/{tenant}/webhooks/{webhook}';

const list = createRoute({
  operationId: 'listWebhooks', method: 'get', path: '/v1/tenants/{tenant}/webhooks', tags, summary: 'List the tenant’s webhooks (secrets never shown)',
  middleware: [tenantRole('viewer')] as const,
  request: { params: TenantParams, query: ListQuery },
  responses: { 200: json(listOut('WebhookList', Webhook), 'a page of webhooks'), ...problems(400, 401, 404) },
});

const get = createRoute({
  operationId: 'getWebhook', method: 'get', path, tags, summary: 'Read a webhook and its recent deliveries (the secret is never shown)',
  middleware: [tenantRole('viewer')] as const,
  request: { params: WebhookParams },
  responses: { 200: json(Webhook, 'the webhook'), 304: { description: 'not modified' }, ...problems(401, 404) },
});

const put = createRoute({
  operationId: 'putWebhook', method: 'put', path, tags, summary: 'Create or replace a webhook (admin)',
  middleware: [tenantRole('admin')] as const,
  request: { params: WebhookParams, headers: WriteHeaders, body: jsonBody(putBody(WebhookSpecIn)) },
  responses: {
    200: json(Webhook, 'replaced (or unchanged); `spec.secret` only when this request wrote it'),
    201: json(Webhook, 'created; `spec.secret` shows the secret, generated when none was written: the only time it is shown'),
    ...problems(400, 401, 403, 404, 412, 413),
  },
});

const del = createRoute({
  operationId: 'deleteWebhook', method: 'delete', path, tags, summary: 'Delete a webhook; deliveries still waiting are dropped (admin)',
  middleware: [tenantRole('admin')] as const,
  request: { params: WebhookParams, headers: WriteHeaders },
  responses: { 204: { description: 'deleted' }, ...problems(401, 403, 404, 412) },
});

export function mountWebhooks(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const tenantId = c.get('access').tenant.uid;
    const page = await namePage<WebhookRow>(c, webhooks, eq(webhooks.tenantId, tenantId), `webhooks|${tenantId}`, c.req.valid('query'));
    const attempts = await attemptsOf(c.get('db'), page.rows.map((r) => r.uid));
    return c.json({ items: page.rows.map((r) => renderWebhook(r, attempts.get(r.uid)!)), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const { webhook } = c.req.valid('param');
    const row = await getResource<WebhookRow>(c.get('db'), webhooks, c.get('access').tenant.uid, webhook);
    if (!row) throw notFound('webhook', webhook);
    return sendResource(c, await viewWebhook(c.get('db'), row)) as never;
  });

  app.openapi(
    put,
    async (c) => {
      const { webhook: name } = c.req.valid('param');
      const body = c.req.valid('json');
      // a name that does not resolve now is not refused: each delivery checks again, and sends nothing where it must not
      const verdict = await checkUrl(new URL(body.spec.url), c.get('deps').webhooks);
      if (!verdict.ok && verdict.refused) {
        throw invalid([{ pointer: '/spec/url', in: 'body', message: verdict.reason }], 'webhooks may not reach this address');
      }
      const input = { name, labels: body.metadata?.labels ?? {}, spec: body.spec };
      const r = await putWebhook(c.get('db'), actorOf(c), c.get('access').tenant.uid, input, preconditionsOf(c));
      return sendResource(c, await viewWebhook(c.get('db'), r.row, r.secretShown), r.created ? 201 : 200) as never;
    },
    putHook('webhook'),
  );

  app.openapi(del, async (c) => {
    const { webhook: name } = c.req.valid('param');
    const gone = await deleteWebhook(c.get('db'), actorOf(c), c.get('access').tenant.uid, name, preconditionsOf(c));
    if (!gone) throw notFound('webhook', name);
    return c.body(null, 204);
  });
}
