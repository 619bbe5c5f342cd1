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

const upsert = (who: ConnectorIdentity, report: StatusReport, now: Date, unless = sql`true`) => sql`
  insert into cluster_status_reports (cluster_uid, seq, revision, apps, reported_at)
  select c.uid, ${report.seq}, ${report.revision}, ${JSON.stringify(report.apps)}::json, ${now.toISOString()}::timestamptz
  from clusters c where c.uid = ${who.clusterUid} and c.credential_generation = ${who.generation} and ${unless}
  on conflict (cluster_uid) do update set
    seq = excluded.seq, revision = excluded.revision, apps = excluded.apps, reported_at = excluded.reported_at
  where cluster_status_reports.seq < excluded.seq
  returning seq`;

/** Stores the report unless one with the same or a higher `seq` is stored: duplicates and reports overtaken in flight change nothing. */
async function storeReport(db: Db, who: ConnectorIdentity, report: StatusReport, now: Date): Promise<boolean> {
  if (rowsOf(await db.execute(upsert(who, report, now))).length > 0) return true;
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
  // one statement for a report that changes no verdict (most of them): stored unless it moves something
  const [first] = rowsOf<{ stored: number; tenant_id: string | null; rollout: boolean | null }>(await db.execute(sql`
    with moving as (
      select p.tenant_id, bool_or(r.state = 'Progressing') as rollout
      from placements p join ${verdicts(json)} on ${sameOwner}
      left join app_rollouts r on r.app_uid = p.owner_uid
      where p.cluster_uid = ${who.clusterUid} and ${changed}
      group by p.tenant_id),
    stored as (${upsert(who, report, now, sql`not exists (select 1 from moving)`)})
    select (select count(*) from stored)::int as stored, (select tenant_id from moving) as tenant_id, (select rollout from moving) as rollout`));
  const moving = first!.tenant_id === null ? undefined : { tenant_id: first!.tenant_id, rollout: first!.rollout === true };
  if (!moving) {
    if (first!.stored === 0) await connectorCluster(db, who); // a stale report, or a revoked credential (401)
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
