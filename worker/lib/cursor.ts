import { base64url, fromBase64url, hmac, hmacVerify } from './crypto.js';
import { invalid } from './problem.js';

/**
 * Opaque list cursors: the position after the last item, bound to the query it
 * came from (tenant, collection, filters) and signed, so a forged cursor or one
 * from another tenant or query is rejected instead of leaking or skipping rows.
 */
export async function encodeCursor(key: CryptoKey, binding: string, position: string | number) {
  const payload = base64url(new TextEncoder().encode(JSON.stringify({ p: position })));
  const mac = await hmac(key, `${binding}\n${payload}`);
  return `${payload}.${base64url(mac)}`;
}

export async function decodeCursor(key: CryptoKey, binding: string, cursor: string): Promise<string | number> {
  const bad = invalid([{ pointer: '/cursor', in: 'query', message: 'cursor is not valid for this list' }]);
  const [payload, mac] = cursor.split('.');
  if (!payload || !mac || !/^[A-Za-z0-9_-]+$/.test(payload + mac)) throw bad;
  if (!(await hmacVerify(key, fromBase64url(mac), `${binding}\n${payload}`))) throw bad;
  const { p } = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as { p: string | number };
  return p;
}

export const clampLimit = (limit: string | undefined) => Math.min(Number(limit ?? 50), 500);

/**
 * A page of a log kept by increasing numeric id and listed newest first (audit
 * events, events): the id to list below (from the cursor), and, once the rows
 * (up to `limit + 1` of them) are read, the page and the cursor to the next one.
 */
export function idPages(key: CryptoKey, binding: string, q: { limit?: string | undefined; cursor?: string | undefined }) {
  const limit = clampLimit(q.limit);
  return {
    limit,
    before: async () => (q.cursor ? Number(await decodeCursor(key, binding, q.cursor)) : undefined),
    page: async <T extends { id: number }>(rows: T[]) => {
      const items = rows.slice(0, limit);
      const nextCursor = rows.length > limit ? await encodeCursor(key, binding, items[items.length - 1]!.id) : null;
      return { items, nextCursor };
    },
  };
}
