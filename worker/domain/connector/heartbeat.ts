import type { Db } from '../../../db/client.js';
import type { ClusterCondition } from '../../../db/schema/index.js';
import { unauthorized } from '../../lib/problem.js';
import { isDark, phaseChanges } from '../clusters/phase.js';
import { recordEvents, type EventEntry } from '../events.js';
import { settleClusterApps } from '../apps/settle.js';
import { writeHeartbeat } from './heartbeat-batch.js';

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

const DRIFT = 'DriftRestored';

/**
 * The hot path: the cluster's narrow agent row updated (in a batch with the
 * heartbeats arriving meanwhile), which also checks the credential generation
 * and returns the desired revision. Phase-change events are a second write,
 * only on the rare heartbeat that changes the phase.
 */
export async function recordHeartbeat(db: Db, who: ConnectorIdentity, hb: Heartbeat, now: Date, write = writeHeartbeat) {
  const ready = readyOf(hb.conditions);
  const drift = hb.conditions?.find((c) => c.type === DRIFT);
  const row = await write(db, {
    clusterUid: who.clusterUid, generation: who.generation, at: now, ready,
    kubernetesVersion: hb.kubernetesVersion, nodeCount: hb.nodeCount, appliedRevision: hb.appliedRevision,
    conditions: hb.conditions ?? [], carriesDrift: drift !== undefined,
  });
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
