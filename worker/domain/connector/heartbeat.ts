import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { executeNamed } from '../../../db/named-query.js';
import type { ClusterCondition } from '../../../db/schema/index.js';
import { unauthorized } from '../../lib/problem.js';
import { phaseChanges, type SilenceRecorded } from '../clusters/phase.js';
import { recordEvents } from '../events.js';

export interface Heartbeat {
  kubernetesVersion: string;
  nodeCount: number;
  appliedRevision?: number | undefined;
  conditions?: ClusterCondition[] | undefined;
}

export interface ConnectorIdentity {
  clusterUid: string;
  generation: number;
}

/** The connector's verdict: ready unless it reports a Ready condition that is not True. */
function readyOf(conditions: ClusterCondition[] | undefined) {
  const status = conditions?.find((c) => c.type === 'Ready')?.status;
  return status === undefined || status === 'True';
}

interface Row {
  desired_revision: string | number;
  name: string;
  tenant_id: string;
  prev_at: string | Date | null;
  prev_ready: boolean;
  prev_recorded: SilenceRecorded;
}

/**
 * The hot path: one UPDATE of the cluster's narrow agent row, which also checks
 * the credential generation and returns the desired revision. Phase-change
 * events are a second write, only on the rare heartbeat that changes the phase.
 */
export async function recordHeartbeat(db: Db, who: ConnectorIdentity, hb: Heartbeat, now: Date) {
  const ready = readyOf(hb.conditions);
  const at = now.toISOString();
  const [row] = await executeNamed<Row>(db, 'fp_heartbeat', sql`
    with prev as (
      select a.cluster_uid, a.last_heartbeat_at, a.ready, a.silence_recorded
      from cluster_agents a join clusters c on c.uid = a.cluster_uid
      where a.cluster_uid = ${who.clusterUid} and c.credential_generation = ${who.generation}
      for update of a
    )
    update cluster_agents a set
      last_heartbeat_at = ${at}::timestamptz,
      ready = ${ready},
      silence_recorded = null,
      kubernetes_version = ${hb.kubernetesVersion},
      node_count = ${hb.nodeCount},
      applied_revision = coalesce(${hb.appliedRevision ?? null}::bigint, a.applied_revision),
      conditions = ${JSON.stringify(hb.conditions ?? [])}::json
    from prev, clusters c
    where a.cluster_uid = prev.cluster_uid and c.uid = a.cluster_uid
    returning c.desired_revision, c.name, c.tenant_id, prev.last_heartbeat_at as prev_at, prev.ready as prev_ready,
      prev.silence_recorded as prev_recorded`);
  if (!row) throw unauthorized('the connector credential was revoked or its cluster deleted; join again');
  const prev = { lastHeartbeatAt: row.prev_at === null ? null : new Date(row.prev_at), ready: row.prev_ready };
  const changes = phaseChanges(prev, { at: now, ready }, row.prev_recorded);
  await recordEvents(
    db,
    changes.map((c) => ({
      tenantId: row.tenant_id, kind: 'Cluster' as const, name: row.name, uid: who.clusterUid,
      reason: 'ClusterPhaseChanged', from: c.from, to: c.to, at: c.at,
    })),
  );
  return { desiredRevision: Number(row.desired_revision) };
}
