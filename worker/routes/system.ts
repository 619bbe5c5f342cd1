import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../context.js';
import { ApiError } from '../lib/problem.js';
import { json, problems } from './common.js';

const healthz = createRoute({
  operationId: 'getHealth', method: 'get', path: '/healthz', tags: ['system'], summary: 'The process is up', security: [],
  responses: { 200: json(z.object({ status: z.literal('ok') }), 'up') },
});

const readyz = createRoute({
  operationId: 'getReadiness', method: 'get', path: '/readyz', tags: ['system'], summary: 'The database answers', security: [],
  responses: {
    200: json(z.object({ status: z.literal('ok') }), 'ready'),
    ...problems(503),
  },
});

const jwks = createRoute({
  operationId: 'getJwks', method: 'get', path: '/.well-known/jwks.json', tags: ['system'], security: [],
  summary: 'Public keys that verify connector credentials',
  responses: { 200: json(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'JWK Set') },
});

export function mountSystem(app: OpenAPIHono<AppEnv>) {
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readyz, async (c) => {
    try {
      await c.get('db').execute(sql`select 1`);
      return c.json({ status: 'ok' as const }, 200);
    } catch {
      throw new ApiError(503, 'not_ready', 'the database is not reachable');
    }
  });

  app.openapi(jwks, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(c.get('deps').keys.publicJwks as { keys: Record<string, unknown>[] }, 200);
  });
}
