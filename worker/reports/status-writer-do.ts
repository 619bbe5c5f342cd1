import { statusBatchStats, writeReport } from '../domain/connector/status-batch.js';
import { parseEnv } from '../env.js';
import { serveWrite } from '../lib/durable-writer.js';
import type { DurableObjectState } from '../push/workers-types.js';
import { trackEnqueued } from '../webhooks/enqueued.js';
import { openWorkersDatabase } from '../workers-database.js';
import type { StoredReport, WireReport } from './durable-reports.js';

/**
 * Connections the object keeps: two batches in flight (status-batch's
 * IN_FLIGHT), the phase recordings that follow a batch, and a rollout's
 * transaction under its tenants' locks.
 */
const CONNECTIONS = 4;

/**
 * Workers' group commit for status reports: `POST /write` with one report
 * answers its pushes and the tenants whose webhook deliveries were enqueued
 * (or null when it was not stored: stale, or its credential no longer holds),
 * written in a batch with the others this object received meanwhile, on
 * connections it keeps open between requests. See durable-reports.ts for who
 * calls it.
 */
export class StatusWriter {
  private opened: ReturnType<typeof openWorkersDatabase> | undefined;

  constructor(_state: DurableObjectState, private readonly env: Record<string, unknown>) {}

  fetch(request: Request): Promise<Response> {
    return serveWrite(request, async (w: WireReport): Promise<StoredReport | undefined> => {
      this.opened ??= openWorkersDatabase(parseEnv(this.env), CONNECTIONS);
      const report = { ...w, apps: JSON.parse(w.appsJson), at: new Date(w.at) };
      const { result: pushes, tenants } = await trackEnqueued(() => writeReport(this.opened!.db, report));
      return pushes && { pushes, tenants };
    });
  }

  /** Batches and reports this object has written since it started (what tests read). */
  get written() {
    return this.opened ? statusBatchStats(this.opened.db) : { batches: 0, rows: 0, retried: 0 };
  }
}
