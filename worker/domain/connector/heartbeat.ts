import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { executeNamed } from '../../../db/named-query.js';
import type { ClusterCondition } from '../../../db/schema/index.js';
import { unauthorized } from '../../lib/problem.js';
import { isDark, phaseChanges, type SilenceRecorded } from '../clusters/phase.js';
import { recordEvents, type EventEntry } from '../events.js';
import { settleClusterApps } from '../apps/settle.js';

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
  prev_drift: string | null;
}

const DRIFT = 'DriftRestored';

/**
 * The previous DriftRestored time (or message, without one), read only when this heartbeat carries the
 * condition (a statement of its own: a named statement's text never varies).
 */
const previousDrift = (carried: boolean) => carried
  ? sql`(select coalesce(x->>'lastTransitionTime', x->>'message') from json_array_elements(a.conditions) x where x->>'type' = ${DRIFT} limit 1)`
  : sql`null::text`;

/**
 * The hot path: one UPDATE of the cluster's narrow agent row, which also checks
 * the credential generation and returns the desired revision. Phase-change
 * events are a second write, only on the rare heartbeat that changes the phase.
 */
export async function recordHeartbeat(db: Db, who: ConnectorIdentity, hb: Heartbeat, now: Date) {
  const ready = readyOf(hb.conditions);
  const at = now.toISOString();
  const drift = hb.conditions?.find((c) => c.type === DRIFT);
  const [row] = await executeNamed<Row>(db, drift ? 'fp_heartbeat_drift' : 'fp_heartbeat', sql`
    with prev as (
      select a.cluster_uid, a.last_heartbeat_at, a.ready, a.silence_recorded, ${previousDrift(drift !== undefined)} as drift
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
      prev.silence_recorded as prev_recorded, prev.drift as prev_drift`);
  if (!row) throw unauthorized('the connector credential was revoked or its cluster deleted; join again');
  const prev = { lastHeartbeatAt: row.prev_at === null ? null : new Date(row.prev_at), ready: row.prev_ready };
  const changes = phaseChanges(prev, { at: now, ready }, row.prev_recorded);
  const about = { tenantId: row.tenant_id, kind: 'Cluster' as const, name: row.name, uid: who.clusterUid };
  const entries: EventEntry[] = changes.map((c) => ({ ...about, reason: 'ClusterPhaseChanged', from: c.from, to: c.to, at: c.at }));
  // the connector restored something it owns: each restore moves the condition's time
  if (drift && (drift.lastTransitionTime ?? drift.message) !== row.prev_drift) {
    entries.push({ ...about, reason: DRIFT, message: drift.message ?? '', at: new Date(drift.lastTransitionTime ?? now) });
  }
  await recordEvents(db, entries);
  // the cluster's apps change phase with it when it goes dark or comes back (Ready, NotReady and Pending are alike to them)
  const pushes = changes.some((c) => isDark(c.from) || isDark(c.to)) ? await settleClusterApps(db, row.tenant_id, who.clusterUid, now) : [];
  return { desiredRevision: Number(row.desired_revision), pushes, tenantUid: row.tenant_id as string, changed: entries.length > 0 };
}
