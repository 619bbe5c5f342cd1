import type { Context, ExecutionContext, Hono } from 'hono';
import type { AppEnv } from '../context.js';

/** An answer of the API, as the console reads it: JSON parsed, problem+json included. */
export interface ApiAnswer<T = any> {
  status: number;
  ok: boolean;
  body: T;
  headers: Headers;
}

/** The token was refused (revoked, expired): the session is over. */
export class SessionEnded extends Error {}

export type ConsoleApi = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiAnswer<T>>;

/**
 * The console is a client of the API, in the same process: every page reads
 * and every form writes through the same routes, validation, roles, limits and
 * audit as any other client, with the session's token as its bearer. There is
 * no second path to the database.
 */
export function consoleApi<E extends AppEnv>(app: Hono<any>, c: Context<E>, token: string): ConsoleApi {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // Node: no execution context
  }
  return async <T,>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> => {
    const init: RequestInit = { method, headers: { ...headers, authorization: `Bearer ${token}` } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await app.fetch(new Request(new URL(path, c.req.url), init), c.env, ctx);
    if (res.status === 401) throw new SessionEnded();
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) parsed = text ? JSON.parse(text) : undefined;
    return { status: res.status, ok: res.ok, body: parsed as T, headers: res.headers };
  };
}
