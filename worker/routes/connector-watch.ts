import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Principal } from '../auth/principal.js';
import type { AppDeps, AppEnv } from '../context.js';
import { park } from '../lib/parked.js';
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
    const stop = abortedWith(c.req.raw.signal);
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
    const deps = c.get('deps');
    const revision = awaitRevision(waiting, deps, who);
    if (deps.parks) return park(c, jsonAnswer(revision)) as never;
    return c.json({ revision: await revision() }, 200);
  });
}

/*
 * What a parked wait holds is made below, apart from the route: a closure made
 * in the route would share its scope, and with it the request's context.
 */

/** A controller aborted when the request is (the client left), or by the route. */
function abortedWith(request: AbortSignal) {
  const stop = new AbortController();
  request.addEventListener('abort', () => stop.abort(), { once: true });
  return stop;
}

const jsonAnswer = (revision: () => Promise<number>) => async () => Response.json({ revision: await revision() }, { status: 200 });

/**
 * The rest of a wait, kept apart from the request's context: on Node the
 * route returns before it ends (parked), and what this holds is all the wait keeps.
 */
function awaitRevision(waiting: Promise<number | undefined>, deps: AppDeps, who: Connector) {
  return async () => {
    const woke = await waiting;
    if (woke !== undefined) return woke;
    // timed out or disconnected: reading again also turns a revoked credential into a 401
    const { db, release } = await deps.db.open();
    try {
      return (await connectorCluster(db, who, deps.push.clusters)).desiredRevision;
    } finally {
      await release();
    }
  };
}
