import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayLiteral, numbersLiteral } from '../../../db/array-param.js';
import { preparedRaw } from '../../../db/named-query.js';
import { perDb } from '../../../db/prepared.js';
import type { ReportedApp } from '../../../db/schema/index.js';
import { ClusterBatcher } from '../../lib/cluster-batcher.js';
import { noteEnqueuedAgain, trackEnqueued } from '../../webhooks/enqueued.js';
import { recordAppPhases, settleApps } from '../apps/settle.js';
import { lockPlacements } from '../placement/lock.js';
import type { Pushes } from '../placement/sync.js';
import { reportPhase, type Health } from '../status/health.js';

/** One connector's status report, as the batch writes it. */
export interface ReportWrite {
  clusterUid: string;
  generation: number;
  seq: number;
  revision: number;
  apps: ReportedApp[];
  /** `apps` as JSON, made once: stored as it is, and what a batch's size is counted in */
  appsJson: string;
  at: Date;
}

/** Rows per statement; a batch's reports also stay within this many bytes of JSON. */
const MAX_BATCH = 200;
const MAX_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = 2;

interface Row {
  what: 'stored' | 'moved' | 'rollout';
  id: string;
  kind: string | null;
  tenant_id: string | null;
}

/** Each reported owner's verdict on its cluster, as placements keep it. */
const verdictsOf = (batch: ReportWrite[]) => JSON.stringify(batch.flatMap((r) => r.apps.map((a) => ({
  cluster_uid: r.clusterUid, kind: a.kind ?? 'App', name: a.name, revision: a.revision,
  phase: reportPhase(a.resources as { health: Health }[]),
}))));

/**
 * Many reports, one statement. Each report is stored if its credential
 * generation holds and no report with the same or a higher `seq` is stored
 * (a duplicate, or one overtaken in flight, changes nothing); the placements
 * whose verdict it changes are updated with it. Unless `locked`, nothing is
 * written when a changed verdict belongs to an app whose progressive rollout
 * is under way: the statement then names those tenants, to be run again under
 * their placement locks.
 */
const statementOf = preparedRaw<Row>('fp_status_batch', sql`
  with input as (
    select * from unnest(
      ${sql.placeholder('uids')}::uuid[], ${sql.placeholder('generations')}::int[], ${sql.placeholder('seqs')}::bigint[],
      ${sql.placeholder('revisions')}::bigint[], ${sql.placeholder('apps')}::text[], ${sql.placeholder('ats')}::text[]
    ) as i(cluster_uid, generation, seq, revision, apps, at)
  ),
  verdicts as (
    select * from json_to_recordset(${sql.placeholder('verdicts')}::json) as x(cluster_uid uuid, kind text, name text, revision int, phase text)
  ),
  changed as (
    select p.cluster_uid, p.owner_kind, p.owner_name, p.owner_uid, p.tenant_id, x.revision, x.phase
    from placements p join verdicts x on p.cluster_uid = x.cluster_uid and p.owner_kind = x.kind and p.owner_name = x.name
    where (p.report_revision, p.report_phase) is distinct from (x.revision, x.phase)
  ),
  rollout as (
    select distinct c.tenant_id from changed c join app_rollouts r on r.app_uid = c.owner_uid and r.state = 'Progressing'
  ),
  stored as (
    insert into cluster_status_reports (cluster_uid, seq, revision, apps, reported_at)
    select c.uid, i.seq, i.revision, i.apps::json, i.at::timestamptz
    from input i join clusters c on c.uid = i.cluster_uid and c.credential_generation = i.generation
    where ${sql.placeholder('locked')}::boolean or not exists (select 1 from rollout)
    order by c.uid
    on conflict (cluster_uid) do update set
      seq = excluded.seq, revision = excluded.revision, apps = excluded.apps, reported_at = excluded.reported_at
    where cluster_status_reports.seq < excluded.seq
    returning cluster_uid
  ),
  moved as (
    update placements p set report_revision = c.revision, report_phase = c.phase
    from changed c join stored s on s.cluster_uid = c.cluster_uid
    where p.cluster_uid = c.cluster_uid and p.owner_kind = c.owner_kind and p.owner_name = c.owner_name
    returning p.owner_uid, p.owner_kind, p.tenant_id
  )
  select 'stored' as what, cluster_uid::text as id, null::text as kind, null::text as tenant_id from stored
  union all select 'moved', owner_uid::text, owner_kind, tenant_id::text from moved
  union all select 'rollout', tenant_id::text, null, null from rollout`);

const run = (db: Db, batch: ReportWrite[], locked: boolean) => statementOf(db)({
  uids: arrayLiteral(batch.map((r) => r.clusterUid)), generations: numbersLiteral(batch.map((r) => r.generation)),
  seqs: numbersLiteral(batch.map((r) => r.seq)), revisions: numbersLiteral(batch.map((r) => r.revision)),
  apps: arrayLiteral(batch.map((r) => r.appsJson)), ats: arrayLiteral(batch.map((r) => r.at.toISOString())),
  verdicts: verdictsOf(batch), locked,
});

/**
 * Writes a batch of reports. Where a changed verdict may move a rollout, the
 * batch is written again in a transaction under those tenants' placement
 * locks (taken in order, before any row lock), and those tenants' apps are
 * settled in it: a report that makes a wave Ready releases the next wave
 * before it is answered. Every other app whose verdicts moved has its phase
 * recorded after the write, each under its own row lock: `recorded`, which
 * each caller still waits for before it is answered, but the batch does not,
 * so that the next batch's reports are stored meanwhile. The pushes to make
 * go to the first stored report's caller, and so do the tenants whose webhook
 * deliveries the batch enqueued: the batch is no one caller's work, so it
 * notes them in a scope of its own (trackEnqueued), and one caller is enough
 * to have them sent.
 */
async function writeReports(db: Db, batch: ReportWrite[]): Promise<Map<string, Written>> {
  const now = new Date(Math.max(...batch.map((r) => r.at.getTime())));
  const stored = await trackEnqueued(() => storeReports(db, batch, now));
  const { rows, pushes, locked } = stored.result;
  const recorded = trackEnqueued(() => recordAppPhases(db, movedApps(rows, locked, false), now)).then((r) => [...new Set([...stored.tenants, ...r.tenants])]);
  // its callers are told of a failure; this keeps one that has no caller left from going unhandled
  recorded.catch(() => {});
  const uids = rows.filter((r) => r.what === 'stored').map((r) => r.id);
  return new Map(uids.map((uid, i) => [uid, { pushes: i === 0 ? pushes : [], recorded: i === 0 ? recorded : recorded.then(() => []) }]));
}

/** The apps whose verdicts the batch moved, of the tenants it `locked` or of the others. */
const movedApps = (rows: Row[], locked: Set<string>, inLocked: boolean) =>
  rows.filter((r) => r.what === 'moved' && r.kind === 'App' && locked.has(r.tenant_id!) === inLocked).map((r) => r.id);

/** The batch's statement, and again under the placement locks of the tenants whose rollouts it may move. */
async function storeReports(db: Db, batch: ReportWrite[], now: Date) {
  let rows = await run(db, batch, false);
  const locked = new Set(rows.filter((r) => r.what === 'rollout').map((r) => r.id));
  let pushes: Pushes = [];
  if (locked.size > 0) {
    await db.transaction(async (tx) => {
      for (const tenant of [...locked].sort()) await lockPlacements(tx, tenant);
      rows = await run(tx, batch, true);
      pushes = await settleApps(tx, movedApps(rows, locked, true), now);
    });
  }
  return { rows, pushes, locked };
}

interface Written {
  pushes: Pushes;
  /** the phases of the apps the batch moved, recorded: then the tenants whose webhook deliveries were enqueued (workerd) */
  recorded: Promise<string[]>;
}

/** Reports in batches (see ClusterBatcher), one batcher per database handle. */
const batcherOf = perDb((db) => new ClusterBatcher<ReportWrite, Written>(
  (batch) => writeReports(db, batch),
  { rows: MAX_BATCH, weight: MAX_BYTES, weigh: (r) => r.appsJson.length },
  IN_FLIGHT,
));

/** Stores one report with whichever others are waiting: the pushes to make, or undefined when it was not stored (stale, or its credential no longer holds). */
export async function writeReport(db: Db, report: ReportWrite): Promise<Pushes | undefined> {
  const written = await batcherOf(db).write(report);
  if (!written) return undefined;
  noteEnqueuedAgain(await written.recorded);
  return written.pushes;
}

/** Batches and reports written through this handle so far. */
export const statusBatchStats = (db: Db) => ({ ...batcherOf(db).stats });
