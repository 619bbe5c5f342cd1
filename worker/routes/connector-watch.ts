import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Principal } from '../auth/principal.js';
import type { AppEnv } from '../context.js';
import { connectorCluster } from '../domain/connector/connector-cluster.js';
import { pushTargetOf } from '../push/push.js';
import { json, problems } from './common.js';

export const WATCH_MAX_SECONDS = 30;

const watch = createRoute({
  operationId: 'watchDesiredState', method: 'get', path: '/v1/connector/watch', tags: ['connector'],
  summary: 'Returns as soon as the desired revision exceeds `revision` (long poll), or upgrades to a WebSocket sending `{ revision }`',
  request: {
    query: z.object({
      revision: z.string().regex(/^\d{1,18}$/, { error: 'revision must be a non-negative integer' }),
      timeoutSeconds: z.string().regex(/^\d{1,2}$/, { error: 'timeoutSeconds must be 0-30' }).optional()
        .openapi({ param: { description: `how long to wait, at most ${WATCH_MAX_SECONDS} (the default)` } }),
    }),
  },
  responses: {
    200: json(z.object({ revision: z.number().int() }), 'the current desired revision (unchanged when the wait timed out)'),
    101: { description: 'switched to a WebSocket' },
    ...problems(400, 401),
  },
});

type Connector = Extract<Principal, { kind: 'connector' }>;

export function watchRevision(app: OpenAPIHono<AppEnv>, identity: (c: Context<AppEnv>) => Connector) {
  app.openapi(watch, async (c) => {
    const q = c.req.valid('query');
    const who = identity(c);
    const after = Number(q.revision);
    const timeoutMs = Math.min(Number(q.timeoutSeconds ?? WATCH_MAX_SECONDS), WATCH_MAX_SECONDS) * 1000;
    const target = pushTargetOf({ uid: who.clusterUid, tenantId: who.tenantId });
    const push = c.get('deps').push;
    const current = async () => (await connectorCluster(c.get('db'), who, push.clusters)).desiredRevision;
    if (c.req.header('upgrade')?.toLowerCase() === 'websocket' && push.socket) {
      return (await push.socket(c, target, after, current)) as never;
    }
    // Subscribe before reading, so a change landing between the two is not missed.
    const stop = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => stop.abort());
    const waiting = push.wait(target, after, timeoutMs, stop.signal);
    const now = await current().catch((err) => {
      stop.abort();
      throw err;
    });
    if (now > after) {
      stop.abort();
      return c.json({ revision: now }, 200);
    }
    // Parked: hold no database connection while waiting (on Workers each request has its own).
    await c.get('releaseDb')();
    const woke = await waiting;
    if (woke !== undefined) return c.json({ revision: woke }, 200);
    // timed out or disconnected: reading again also turns a revoked credential into a 401
    const { db, release } = await c.get('deps').db.open();
    try {
      return c.json({ revision: (await connectorCluster(db, who, push.clusters)).desiredRevision }, 200);
    } finally {
      await release();
    }
  });
}
