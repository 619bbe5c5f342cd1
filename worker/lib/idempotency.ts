import { and, eq, lt } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { idempotencyRecords } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import { sha256Hex } from './crypto.js';
import { ApiError, invalid } from './problem.js';

/** How long a key's outcome is replayed; the scheduled janitor deletes records past it. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * `Idempotency-Key` on POST (scoped to the caller): the first outcome is kept
 * and replayed for 24 h; the same key with another body is 422; a retry while
 * the first is still running is 409. A 5xx is not kept, so it can be retried.
 */
export const idempotent = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  if (key.length === 0 || key.length > 255) {
    throw invalid([{ pointer: '/Idempotency-Key', in: 'header', message: 'must be 1 to 255 characters' }]);
  }
  const db = c.get('db');
  const scope = c.get('principal').id;
  const requestHash = await sha256Hex(`${c.req.method}\n${c.req.path}\n${await c.req.text()}`);
  const mine = and(eq(idempotencyRecords.scope, scope), eq(idempotencyRecords.key, key));
  const now = c.get('deps').now();
  await db.delete(idempotencyRecords).where(and(mine, lt(idempotencyRecords.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS))));
  const claimed = await db
    .insert(idempotencyRecords)
    .values({ scope, key, requestHash, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyRecords.key });
  if (claimed.length === 0) {
    const [prior] = await db.select().from(idempotencyRecords).where(mine);
    if (!prior) throw new ApiError(409, 'idempotency_conflict', 'retry: the earlier request with this key just expired');
    if (prior.requestHash !== requestHash) {
      throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    }
    if (prior.responseStatus === null) {
      throw new ApiError(409, 'idempotency_in_progress', 'a request with this Idempotency-Key is still running', undefined, {
        'Retry-After': '1',
      });
    }
    const type = prior.responseStatus >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(prior.responseBody, {
      status: prior.responseStatus,
      headers: { 'Content-Type': type, 'Idempotent-Replayed': 'true' },
    });
  }
  await next();
  if (c.res.status >= 500) {
    await db.delete(idempotencyRecords).where(mine);
  } else {
    const body = await c.res.clone().text();
    await db.update(idempotencyRecords).set({ responseStatus: c.res.status, responseBody: body }).where(mine);
  }
});
