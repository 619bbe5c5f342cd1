import { openNeon } from '../../db/neon.js';
import { heartbeatBatchStats, writeHeartbeat, type HeartbeatWrite } from '../domain/connector/heartbeat-batch.js';
import { parseEnv } from '../env.js';
import { isDatabaseUnavailable } from '../lib/db-errors.js';
import type { DurableObjectState } from '../push/workers-types.js';
import { workersDatabaseUrl } from '../workers-database.js';

/** A heartbeat as it travels to the object: JSON, its time as text. */
export type WireHeartbeat = Omit<HeartbeatWrite, 'at'> & { at: string };

/** Connections the object keeps, one per batch in flight (heartbeat-batch's IN_FLIGHT). */
const CONNECTIONS = 4;

/**
 * Workers' group commit for heartbeats: `POST /write` with one heartbeat
 * answers its row (or null when its credential no longer holds), written in
 * a batch with the others this object received meanwhile, on connections it
 * keeps open between requests. An isolate writing its own heartbeat opened a
 * Postgres session for each one (its connection cannot outlive its request);
 * see durable-heartbeats.ts for who calls it.
 */
export class HeartbeatWriter {
  private opened: ReturnType<typeof openNeon> | undefined;

  constructor(_state: DurableObjectState, private readonly env: Record<string, unknown>) {}

  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/write') return new Response('not found', { status: 404 });
    const w = (await request.json()) as WireHeartbeat;
    this.opened ??= openNeon(workersDatabaseUrl(parseEnv(this.env)), CONNECTIONS);
    try {
      const row = await writeHeartbeat(this.opened.db, { ...w, at: new Date(w.at) });
      return Response.json(row ?? null);
    } catch (err) {
      // the caller answers 503 as it would have itself; anything else it takes for the object failing
      if (isDatabaseUnavailable(err)) return new Response(String((err as Error)?.message ?? err), { status: 503 });
      throw err;
    }
  }

  /** Batches and rows this object has written since it started (what tests read). */
  get written() {
    return this.opened ? heartbeatBatchStats(this.opened.db) : { batches: 0, rows: 0, retried: 0 };
  }
}
