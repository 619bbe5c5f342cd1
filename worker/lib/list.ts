import type { SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { clampLimit, decodeCursor, encodeCursor } from './cursor.js';
import { parseLabelSelector, SelectorError, type Requirement } from './label-selector.js';
import { invalid } from './problem.js';
import { listResources, type ResourceTable, type StoredResource } from './resource-store.js';

export interface ListQuery {
  limit?: string | undefined;
  cursor?: string | undefined;
  labelSelector?: string | undefined;
}

export function selectorOf(q: ListQuery): Requirement[] {
  try {
    return parseLabelSelector(q.labelSelector ?? '');
  } catch (e) {
    if (e instanceof SelectorError) throw invalid([{ pointer: '/labelSelector', in: 'query', message: e.message }]);
    throw e;
  }
}

/**
 * One page of a name-ordered collection. `binding` names the collection and its
 * scope (e.g. the tenant uid); the filters are added to it, so a cursor works
 * only for the exact query that produced it.
 */
export async function namePage<R extends StoredResource>(
  c: Context<AppEnv>, t: ResourceTable, scope: SQL | undefined, binding: string, q: ListQuery,
) {
  const key = c.get('deps').keys.cursorKey;
  const bound = `${binding}|${q.labelSelector ?? ''}`;
  const selector = selectorOf(q);
  const after = q.cursor ? String(await decodeCursor(key, bound, q.cursor)) : undefined;
  const { rows, more } = await listResources<R>(c.get('db'), t, [scope], selector, after, clampLimit(q.limit));
  const nextCursor = more ? await encodeCursor(key, bound, rows[rows.length - 1]!.name) : null;
  return { rows, nextCursor };
}
