import type { Db } from '../../db/client.js';
import { CONNECT_TIMEOUT_MS, driverLimitMs } from '../../db/query-limits.js';
import { databaseFailure } from './db-errors.js';
import { databaseUnavailable } from './error-response.js';
import { outageGuard } from './outage-guard.js';
import type { DurableObjectNamespace } from '../push/workers-types.js';

/**
 * Past this the object counts as down: longer than its write can wait on the
 * database (a connection, then a statement under its limit, see
 * db/query-limits.ts), or 8 s when statements have no limit. With a shorter
 * wait, an isolate took a write held up by a lock for a failed object, and
 * made it again itself, into the same lock.
 */
export const objectWaitMs = (queryTimeoutMs: number) => {
  const statement = driverLimitMs(queryTimeoutMs);
  return Number.isFinite(statement) ? CONNECT_TIMEOUT_MS + statement + 1_000 : 8_000;
};

/** How long an isolate writes on its own after an object failed, before asking one again. */
const RETRY_AFTER_FAILURE_MS = 5_000;

/** The object of `kind` (`heartbeats`, `reports`) that writes this cluster's: one of `shards`, by its uid. */
export const shardOf = (kind: string, shards: number, clusterUid: string) => `${kind}:${Number.parseInt(clusterUid.slice(0, 8), 16) % shards}`;

/** A write the isolate can make itself, on its request's own connection. */
export type WriteFn<W, R> = (db: Db, write: W) => Promise<R>;

export interface DurableWriter<W, R> extends WriterOptions {
  /** what the objects are, for the one line logged when they fail */
  what: string;
  objects: DurableObjectNamespace;
  /** the name of the object that writes this one */
  objectOf: (write: W) => string;
  /** the write as its object receives it (JSON) */
  wire: (write: W) => unknown;
  /** the object's JSON answer, as the isolate's own write would have answered */
  answer: (json: unknown) => R;
  /** the isolate's own write */
  own: WriteFn<W, R>;
}

/** What the isolate's side of a writer is built with: the statement time limit (the object's too, see objectWaitMs), a clock for tests. */
export interface WriterOptions {
  queryTimeoutMs: number;
  now?: () => number;
}

/**
 * A write batched in Durable Objects on Workers, where an isolate's
 * connection lasts one request: the write's object writes it with the others
 * it holds, on connections it keeps. An object that fails (throws, times out,
 * answers other than 2xx) does not fail the write: the isolate makes it
 * itself, as without the objects, and does so for a few seconds before
 * asking again; the outage is logged once, not once a request. A write made
 * twice so (the object made it, its answer was lost) must be harmless: the
 * writes given here are (a heartbeat finds what the first wrote; a report's
 * `seq` is no longer newer). An object that could not reach the database has
 * not failed: the request is answered 503, as the isolate would have
 * answered it, without a second try.
 */
export function durableWriter<W, R>(o: DurableWriter<W, R>): WriteFn<W, R> {
  const guard = outageGuard(`${o.what} failed; each isolate writes its own until it answers again:`, RETRY_AFTER_FAILURE_MS, o.now);
  const waitMs = objectWaitMs(o.queryTimeoutMs);
  return async (db, write) => {
    const answer = await guard(async () => {
      const object = o.objects.get(o.objects.idFromName(o.objectOf(write)));
      const res = await object.fetch('https://writer/write', {
        method: 'POST', body: JSON.stringify(o.wire(write)), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(waitMs),
      });
      if (res.status === 503) return { failure: failureOf(await res.json().catch(() => undefined)) };
      if (!res.ok) throw new Error(`answered ${res.status}: ${await res.text()}`);
      return { json: (await res.json()) as unknown };
    });
    if (answer === undefined) return o.own(db, write);
    if ('failure' in answer) throw databaseUnavailable(answer.failure);
    return o.answer(answer.json);
  };
}

/** Why the object's database failed, from its 503 (`{ failure }`); an object of an older build said nothing. */
const failureOf = (body: unknown): 'timeout' | 'unreachable' => ((body as { failure?: unknown } | undefined)?.failure === 'timeout' ? 'timeout' : 'unreachable');

/**
 * The object's side: `POST /write` answers what `write` answers for the
 * request's JSON body, as JSON (undefined as null), or 503 with
 * `{ failure, detail }` when the database could not serve it (the caller
 * answers 503 as it would have itself, for the same reason; anything else it
 * takes for the object failing).
 */
export async function serveWrite(request: Request, write: (body: any) => Promise<unknown>): Promise<Response> {
  if (request.method !== 'POST' || new URL(request.url).pathname !== '/write') return new Response('not found', { status: 404 });
  const body = await request.json();
  try {
    return Response.json((await write(body)) ?? null);
  } catch (err) {
    const failure = databaseFailure(err);
    if (failure) return Response.json({ failure, detail: String((err as Error)?.message ?? err) }, { status: 503 });
    throw err;
  }
}
