import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import type { ReportedApp } from '../../../db/schema/index.js';
import { connectorCluster } from './connector-cluster.js';
import type { ConnectorIdentity } from './heartbeat.js';

export interface StatusReport {
  seq: number;
  revision: number;
  apps: ReportedApp[];
}

/**
 * Stores a status report unless a report with the same or a higher `seq` is
 * already stored: duplicates and reports overtaken in flight change nothing.
 * Returns whether it was stored.
 */
export async function ingestStatus(db: Db, who: ConnectorIdentity, report: StatusReport, now: Date): Promise<boolean> {
  const result = await db.execute(sql`
    insert into cluster_status_reports (cluster_uid, seq, revision, apps, reported_at)
    select c.uid, ${report.seq}, ${report.revision}, ${JSON.stringify(report.apps)}::json, ${now.toISOString()}::timestamptz
    from clusters c where c.uid = ${who.clusterUid} and c.credential_generation = ${who.generation}
    on conflict (cluster_uid) do update set
      seq = excluded.seq, revision = excluded.revision, apps = excluded.apps, reported_at = excluded.reported_at
    where cluster_status_reports.seq < excluded.seq
    returning seq`);
  if ((result as unknown as { rows: unknown[] }).rows.length > 0) return true;
  await connectorCluster(db, who); // nothing stored: a stale report, or a revoked credential (401)
  return false;
}
