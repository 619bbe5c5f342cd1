import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import type { Actor } from '../domain/audit.js';
import type { ZodError } from 'zod';
import { problemResponses } from '../lib/openapi.js';
import { invalid } from '../lib/problem.js';
import { DnsLabel, Problem } from '../lib/schemas.js';
import { fieldErrors } from '../lib/zod-errors.js';

/**
 * Problem responses a route declares itself: those its own guards and handler
 * give (403, 404, 409, ...). What every route of its kind can answer (401 and
 * 429 when authenticated; 400, 413, 415 with a body; ...) is added to each route
 * when the app is built (`declareImplicitProblems`), so listing it here is optional.
 */
export const problems = problemResponses;

export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const TenantParams = z.object({ tenant: DnsLabel.openapi({ param: { name: 'tenant', in: 'path' } }) });

export const WriteHeaders = z.object({
  'if-match': z.string().optional().openapi({ param: { name: 'if-match', in: 'header' } }),
  'if-none-match': z.string().optional().openapi({ param: { name: 'if-none-match', in: 'header' } }),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({ param: { name: 'idempotency-key', in: 'header' } }),
});

export const actorOf = (c: Context<AppEnv>): Actor => ({ principal: c.get('principal'), requestId: c.get('requestId') });

/** `metadata.name`, when sent, must equal the name in the path. */
export function checkBodyName(metadata: { name?: string | undefined } | undefined, name: string) {
  if (metadata?.name !== undefined && metadata.name !== name) {
    return [{ pointer: '/metadata/name', in: 'body' as const, message: `must equal the name in the path ("${name}")` }];
  }
  return [];
}

/**
 * Validation hook for PUT routes: reports zod's problems together with a
 * `metadata.name` that differs from the path, so one answer lists them all.
 */
export const putHook = (param: string) =>
  // never: zod-openapi types a hook's result as the route's typed response; this one only throws
  (async (result: { success: boolean; target: string; error?: unknown; data?: unknown }, c: Context<AppEnv>): Promise<undefined> => {
    if (result.target !== 'json') {
      if (!result.success) throw invalid(fieldErrors(result.error as ZodError, result.target === 'param' ? 'path' : 'query'));
      return undefined;
    }
    const body = (result.success ? result.data : await c.req.json().catch(() => undefined)) as
      | { metadata?: { name?: string } }
      | undefined;
    const name = typeof body?.metadata?.name === 'string' ? body.metadata : undefined;
    const errors = [
      ...(result.success ? [] : fieldErrors(result.error as ZodError, 'body')),
      ...checkBodyName(name, c.req.param(param) ?? ''),
    ];
    if (errors.length) throw invalid(errors);
    return undefined;
  }) as never;
