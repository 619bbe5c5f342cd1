import { heartbeatBatchStats, writeHeartbeat, type HeartbeatWrite } from '../domain/connector/heartbeat-batch.js';
import { parseEnv } from '../env.js';
import { serveWrite } from '../lib/durable-writer.js';
import type { DurableObjectState } from '../push/workers-types.js';
import { openWorkersDatabase } from '../workers-database.js';

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
  private opened: ReturnType<typeof openWorkersDatabase> | undefined;

  constructor(_state: DurableObjectState, private readonly env: Record<string, unknown>) {}

  fetch(request: Request): Promise<Response> {
    return serveWrite(request, (w: WireHeartbeat) => {
      this.opened ??= openWorkersDatabase(parseEnv(this.env), CONNECTIONS);
      return writeHeartbeat(this.opened.db, { ...w, at: new Date(w.at) });
    });
  }

  /** Batches and rows this object has written since it started (what tests read). */
  get written() {
    return this.opened ? heartbeatBatchStats(this.opened.db) : { batches: 0, rows: 0, retried: 0 };
  }
}
