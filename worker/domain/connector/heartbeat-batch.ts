import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { executeNamed } from '../../../db/named-query.js';
import { perDb } from '../../../db/prepared.js';
import { BatchPump } from '../../lib/batch-pump.js';
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
/** Statements in flight per process: the next batch gathers while these run. */
const IN_FLIGHT = 2;

const numbers = (values: (number | undefined)[], type: 'int' | 'bigint') =>
  sql`${`{${values.map((v) => (v === undefined ? 'NULL' : String(Math.trunc(v)))).join(',')}}`}::${sql.raw(type)}[]`;
const booleans = (values: boolean[]) => sql`${`{${values.join(',')}}`}::boolean[]`;

/**
 * Many heartbeats, one UPDATE: each row checks its own credential generation
 * (a revoked one matches nothing, so that caller alone is refused) and returns
 * its cluster's desired revision and what the agent row held before. Rows are
 * locked in cluster order, so two batches (two replicas) cannot deadlock.
 */
async function writeBatch(db: Db, batch: HeartbeatWrite[]): Promise<HeartbeatRow[]> {
  return executeNamed<HeartbeatRow>(db, 'fp_heartbeat_batch', sql`
    with input as (
      select * from unnest(
        ${arrayParam(batch.map((b) => b.clusterUid), 'uuid')}, ${numbers(batch.map((b) => b.generation), 'int')},
        ${arrayParam(batch.map((b) => b.at.toISOString()), 'text')}, ${booleans(batch.map((b) => b.ready))},
        ${arrayParam(batch.map((b) => b.kubernetesVersion), 'text')}, ${numbers(batch.map((b) => b.nodeCount), 'int')},
        ${numbers(batch.map((b) => b.appliedRevision), 'bigint')}, ${arrayParam(batch.map((b) => JSON.stringify(b.conditions)), 'text')},
        ${booleans(batch.map((b) => b.carriesDrift))}
      ) as i(cluster_uid, generation, at, ready, kubernetes_version, node_count, applied_revision, conditions, carries_drift)
    ),
    prev as (
      select a.cluster_uid, a.last_heartbeat_at, a.ready, a.silence_recorded,
        case when i.carries_drift then (select coalesce(x->>'lastTransitionTime', x->>'message') from json_array_elements(a.conditions) x
          where x->>'type' = 'DriftRestored' limit 1) end as drift
      from cluster_agents a
      join clusters c on c.uid = a.cluster_uid
      join input i on i.cluster_uid = a.cluster_uid and c.credential_generation = i.generation
      order by a.cluster_uid
      for update of a
    )
    update cluster_agents a set
      last_heartbeat_at = i.at::timestamptz,
      ready = i.ready,
      silence_recorded = null,
      kubernetes_version = i.kubernetes_version,
      node_count = i.node_count,
      applied_revision = coalesce(i.applied_revision, a.applied_revision),
      conditions = i.conditions::json
    from prev, input i, clusters c
    where a.cluster_uid = prev.cluster_uid and i.cluster_uid = a.cluster_uid and c.uid = a.cluster_uid
    returning a.cluster_uid, c.desired_revision, c.name, c.tenant_id, prev.last_heartbeat_at as prev_at, prev.ready as prev_ready,
      prev.silence_recorded as prev_recorded, prev.drift as prev_drift`);
}

interface Waiting {
  write: HeartbeatWrite;
  resolve(row: HeartbeatRow | undefined): void;
  reject(err: unknown): void;
}

/**
 * Group commit for heartbeats (see BatchPump): while a batch is being written,
 * the heartbeats that arrive queue up and go together in the next statement. A lone
 * heartbeat waits for nothing; under load, one statement carries hundreds.
 * One per database handle: a process on Node shares one, so it batches across
 * requests; on Workers each request has its own, so each writes alone.
 */
class HeartbeatBatcher {
  private queue: Waiting[] = [];
  private readonly pump = new BatchPump(() => this.take(), (batch) => this.run(batch), IN_FLIGHT);
  /** batches written and rows in them: what a test reads to see that heartbeats shared statements */
  stats = { batches: 0, rows: 0 };

  constructor(private readonly db: Db) {}

  write(write: HeartbeatWrite): Promise<HeartbeatRow | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.pump.kick();
    });
  }

  /** The oldest waiting heartbeats, one per cluster (a second one of a cluster waits for the next batch). */
  private take(): Waiting[] | undefined {
    if (this.queue.length === 0) return undefined;
    const seen = new Set<string>();
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const w of this.queue) {
      if (batch.length < MAX_BATCH && !seen.has(w.write.clusterUid)) {
        seen.add(w.write.clusterUid);
        batch.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    return batch.sort((x, y) => (x.write.clusterUid < y.write.clusterUid ? -1 : 1));
  }

  private async run(batch: Waiting[]) {
    try {
      const rows = await writeBatch(this.db, batch.map((w) => w.write));
      this.stats.batches++;
      this.stats.rows += batch.length;
      const byCluster = new Map(rows.map((r) => [r.cluster_uid, r]));
      for (const w of batch) w.resolve(byCluster.get(w.write.clusterUid));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}

const batcherOf = perDb((db) => new HeartbeatBatcher(db));

/** Writes one heartbeat with whichever others are waiting; undefined when its credential no longer holds. */
export const writeHeartbeat = (db: Db, write: HeartbeatWrite) => batcherOf(db).write(write);

/** Batches and rows written through this handle so far. */
export const heartbeatBatchStats = (db: Db) => ({ ...batcherOf(db).stats });
