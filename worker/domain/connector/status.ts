import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { ReportedApp } from '../../../db/schema/index.js';
import { recordAppPhases, settleApps } from '../apps/settle.js';
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
 * Stores a status report. Most reports change no owner's verdict on this
 * cluster and are the one upsert. One that does also updates the placements;
 * where a rollout of those apps is in progress, it settles them in the same
 * transaction, under the tenant's placement lock (a report that makes a wave
 * Ready releases the next wave before it is answered); else the apps' phases
 * are recorded after it, each under its own row lock. Returns the desired
 * revisions to publish.
 */
export async function ingestStatus(db: Db, who: ConnectorIdentity, report: StatusReport, now: Date): Promise<Pushes> {
  const json = verdictsOf(report);
  // read without locks: a report that changes no verdict is the one upsert
  const [moving] = rowsOf<{ tenant_id: string; rollout: boolean }>(await db.execute(sql`
    select p.tenant_id, bool_or(r.state = 'Progressing') as rollout
    from placements p join ${verdicts(json)} on ${sameOwner}
    left join app_rollouts r on r.app_uid = p.owner_uid
    where p.cluster_uid = ${who.clusterUid} and ${changed}
    group by p.tenant_id`));
  if (!moving) {
    await storeReport(db, who, report, now);
    return [];
  }
  const update = (tx: Db) => tx.execute(sql`
    update placements p set report_revision = x.revision, report_phase = x.phase
    from ${verdicts(json)}
    where p.cluster_uid = ${who.clusterUid} and ${sameOwner} and ${changed}
    returning p.owner_uid, p.owner_kind`);
  const appsOf = (result: unknown) => rowsOf<{ owner_uid: string; owner_kind: string }>(result).filter((o) => o.owner_kind === 'App').map((o) => o.owner_uid);
  if (moving.rollout) {
    // a rollout may move: under the tenant's placement lock, released in this transaction
    return db.transaction(async (tx) => {
      await lockPlacements(tx, moving.tenant_id);
      if (!(await storeReport(tx, who, report, now))) return [];
      return settleApps(tx, appsOf(await update(tx)), now);
    });
  }
  const changedApps = await db.transaction(async (tx) => ((await storeReport(tx, who, report, now)) ? appsOf(await update(tx)) : []));
  await recordAppPhases(db, changedApps, now);
  return [];
}
