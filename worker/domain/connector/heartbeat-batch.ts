import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayLiteral, booleansLiteral, numbersLiteral } from '../../../db/array-param.js';
import { preparedRaw } from '../../../db/named-query.js';
import { perDb } from '../../../db/prepared.js';
import { ClusterBatcher } from '../../lib/cluster-batcher.js';
import type { ClusterCondition } from '../../../db/schema/index.js';
import type { SilenceRecorded } from '../clusters/phase.js';

/** One connector's heartbeat, as the batch writes it. */
export interface HeartbeatWrite {
  clusterUid: string;
  generation: number;
  at: Date;
  ready: boolean;
  kubernetesVersion: string;
  nodeCount: number;
  appliedRevision: number | undefined;
  conditions: ClusterCondition[];
  /** the heartbeat carries a DriftRestored condition: its previous time is wanted */
  carriesDrift: boolean;
}

/** What the cluster's agent row held before, with the cluster's desired revision. */
export interface HeartbeatRow {
  cluster_uid: string;
  desired_revision: string | number;
  name: string;
  tenant_id: string;
  prev_at: string | Date | null;
  prev_ready: boolean;
  prev_recorded: SilenceRecorded;
  prev_drift: string | null;
}

/** Rows per statement: big enough for 10,000 heartbeats a second, small enough to hold few locks for long. */
const MAX_BATCH = 500;
/**
 * Statements in flight per process: the next batch gathers while these run.
 * Four of the pool's ten, not two: ten connectors heartbeating in a closed
 * loop got 4,200 answers a second instead of 3,600 (each waited less for a
 * turn), and at 10,000/s offered half as many were shed.
 */
const IN_FLIGHT = 4;

/**
 * Many heartbeats, one UPDATE: each row checks its own credential generation
 * (a revoked one matches nothing, so that caller alone is refused) and returns
 * its cluster's desired revision and what the agent row held before. Rows are
 * locked in cluster order, so two batches (two replicas) cannot deadlock.
 * The update joins only the locked rows, which carry all it writes and
 * returns: joining the input again let the generic plan Postgres turns to
 * (which assumes 10 rows) scan the input once per row, 55-94 ms for 500
 * rows instead of about 10 (test/fleet/heartbeat-plan.test.ts).
 *
 * Its commit does not wait for the WAL to reach disk (`synchronous_commit`
 * off for this transaction alone, set from within the statement: one round
 * trip). A Postgres crash may lose the heartbeats of its last moments (three
 * `wal_writer_delay`, 0.6 s by default), never consistency: each is the newest
 * of a stream the next one replaces, and any later durable commit (a phase
 * event, a status report) flushes the WAL before it, heartbeats included.
 * The flush was about half of a one-row UPDATE's latency here (pgbench).
 */
const statementOf = preparedRaw<HeartbeatRow>('fp_heartbeat_batch', sql`
    with input as (
      select *, set_config('synchronous_commit', 'off', true) as commit_without_flush from unnest(
        ${sql.placeholder('uids')}::uuid[], ${sql.placeholder('generations')}::int[], ${sql.placeholder('ats')}::text[],
        ${sql.placeholder('readies')}::boolean[], ${sql.placeholder('versions')}::text[], ${sql.placeholder('nodes')}::int[],
        ${sql.placeholder('applied')}::bigint[], ${sql.placeholder('conditions')}::text[], ${sql.placeholder('drifts')}::boolean[]
      ) as i(cluster_uid, generation, at, ready, kubernetes_version, node_count, applied_revision, conditions, carries_drift)
    ),
    prev as (
      select a.cluster_uid, a.last_heartbeat_at, a.ready, a.silence_recorded,
        case when i.carries_drift then (select coalesce(x->>'lastTransitionTime', x->>'message') from json_array_elements(a.conditions) x
          where x->>'type' = 'DriftRestored' limit 1) end as drift,
        c.desired_revision, c.name, c.tenant_id, i.at, i.ready as now_ready, i.kubernetes_version, i.node_count,
        i.applied_revision, i.conditions
      from input i
      join clusters c on c.uid = i.cluster_uid and c.credential_generation = i.generation
      join cluster_agents a on a.cluster_uid = i.cluster_uid
      order by a.cluster_uid
      for update of a
    )
    update cluster_agents a set
      last_heartbeat_at = p.at::timestamptz,
      ready = p.now_ready,
      silence_recorded = null,
      kubernetes_version = p.kubernetes_version,
      node_count = p.node_count,
      applied_revision = coalesce(p.applied_revision, a.applied_revision),
      conditions = p.conditions::json
    from prev p
    where a.cluster_uid = p.cluster_uid
    returning a.cluster_uid, p.desired_revision, p.name, p.tenant_id, p.last_heartbeat_at as prev_at, p.ready as prev_ready,
      p.silence_recorded as prev_recorded, p.drift as prev_drift`);

const writeBatch = (db: Db, batch: HeartbeatWrite[]) => statementOf(db)({
  uids: arrayLiteral(batch.map((b) => b.clusterUid)), generations: numbersLiteral(batch.map((b) => b.generation)),
  ats: arrayLiteral(batch.map((b) => b.at.toISOString())), readies: booleansLiteral(batch.map((b) => b.ready)),
  versions: arrayLiteral(batch.map((b) => b.kubernetesVersion)), nodes: numbersLiteral(batch.map((b) => b.nodeCount)),
  applied: numbersLiteral(batch.map((b) => b.appliedRevision)), conditions: arrayLiteral(batch.map((b) => JSON.stringify(b.conditions))),
  drifts: booleansLiteral(batch.map((b) => b.carriesDrift)),
});

/**
 * Heartbeats in batches (see ClusterBatcher). One batcher per database handle:
 * a process on Node shares one, so it batches across requests; on Workers each
 * request has its own, so each writes alone.
 */
const batcherOf = perDb((db) => new ClusterBatcher<HeartbeatWrite, HeartbeatRow>(
  async (batch) => new Map((await writeBatch(db, batch)).map((r) => [r.cluster_uid, r])), { rows: MAX_BATCH }, IN_FLIGHT));

/** Writes one heartbeat with whichever others are waiting; undefined when its credential no longer holds. */
export const writeHeartbeat = (db: Db, write: HeartbeatWrite) => batcherOf(db).write(write);

/** Batches and rows written through this handle so far. */
export const heartbeatBatchStats = (db: Db) => ({ ...batcherOf(db).stats });
