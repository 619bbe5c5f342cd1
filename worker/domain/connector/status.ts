import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { ReportedApp } from '../../../db/schema/index.js';
import { settleApps } from '../apps/settle.js';
import { lockPlacements } from '../placement/lock.js';
import type { Pushes } from '../placement/sync.js';
import { reportPhase, type Health } from '../status/health.js';
import { connectorCluster } from './connector-cluster.js';
import type { ConnectorIdentity } from './heartbeat.js';

export interface StatusReport {
  seq: number;
  revision: number;
  apps: ReportedApp[];
}

/** Stores the report unless one with the same or a higher `seq` is stored: duplicates and reports overtaken in flight change nothing. */
async function storeReport(db: Db, who: ConnectorIdentity, report: StatusReport, now: Date): Promise<boolean> {
  const result = await db.execute(sql`
    insert into cluster_status_reports (cluster_uid, seq, revision, apps, reported_at)
    select c.uid, ${report.seq}, ${report.revision}, ${JSON.stringify(report.apps)}::json, ${now.toISOString()}::timestamptz
    from clusters c where c.uid = ${who.clusterUid} and c.credential_generation = ${who.generation}
    on conflict (cluster_uid) do update set
      seq = excluded.seq, revision = excluded.revision, apps = excluded.apps, reported_at = excluded.reported_at
    where cluster_status_reports.seq < excluded.seq
    returning seq`);
  if (rowsOf(result).length > 0) return true;
  await connectorCluster(db, who); // nothing stored: a stale report, or a revoked credential (401)
  return false;
}

/** Each reported owner's verdict, as placements keep it. */
const verdictsOf = (report: StatusReport) =>
  JSON.stringify(report.apps.map((a) => ({
    kind: a.kind ?? 'App', name: a.name, revision: a.revision, phase: reportPhase(a.resources as { health: Health }[]),
  })));

const verdicts = (json: string) => sql`json_to_recordset(${json}::json) as x(kind text, name text, revision int, phase text)`;
const sameOwner = sql`p.owner_kind = x.kind and p.owner_name = x.name`;
const changed = sql`(p.report_revision, p.report_phase) is distinct from (x.revision, x.phase)`;

/**
 * Stores a status report. A report that changes some owner's verdict on this
 * cluster (its revision or phase) also updates the placements and settles
 * those apps in the same transaction: a report that makes a rollout's wave
 * Ready releases the next wave before it is answered. Most reports change no
 * verdict and take only the one upsert. Returns the desired revisions to publish.
 */
export async function ingestStatus(db: Db, who: ConnectorIdentity, report: StatusReport, now: Date): Promise<Pushes> {
  const json = verdictsOf(report);
  // read without locks: only a report that changes a verdict needs the tenant's placement lock
  const [moving] = rowsOf<{ tenant_id: string }>(await db.execute(sql`
    select p.tenant_id from placements p, ${verdicts(json)}
    where p.cluster_uid = ${who.clusterUid} and ${sameOwner} and ${changed} limit 1`));
  if (!moving) {
    await storeReport(db, who, report, now);
    return [];
  }
  return db.transaction(async (tx) => {
    await lockPlacements(tx, moving.tenant_id);
    if (!(await storeReport(tx, who, report, now))) return [];
    const owners = rowsOf<{ owner_uid: string; owner_kind: string }>(await tx.execute(sql`
      update placements p set report_revision = x.revision, report_phase = x.phase
      from ${verdicts(json)}
      where p.cluster_uid = ${who.clusterUid} and ${sameOwner} and ${changed}
      returning p.owner_uid, p.owner_kind`));
    return settleApps(tx, owners.filter((o) => o.owner_kind === 'App').map((o) => o.owner_uid), now);
  });
}
