import { inArray, sql } from 'drizzle-orm';
import { clusterAgents, clusters, type ClusterAgentRow, type ClusterCondition, type ClusterRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { toResource } from '../../lib/respond.js';
import { clusterPhase, isDark, OFFLINE_AFTER_MS, UNKNOWN_AFTER_MS, type ClusterPhase } from './phase.js';

export interface ClusterStatus {
  phase: ClusterPhase;
  conditions: ClusterCondition[];
  lastHeartbeatAt: string | null;
  kubernetesVersion: string | null;
  nodeCount: number | null;
  connectorVersion: string | null;
  desiredRevision: number;
  appliedRevision: number | null;
}

/**
 * The status as of `now`. A silent cluster's Ready condition is reported as
 * Unknown, not as the last thing the connector said.
 */
export function clusterStatus(c: ClusterRow, a: ClusterAgentRow | undefined, now: Date): ClusterStatus {
  const phase = clusterPhase(a, now);
  let conditions = a?.conditions ?? [];
  if (isDark(phase) && a?.lastHeartbeatAt) {
    const silent = Math.round((now.getTime() - a.lastHeartbeatAt.getTime()) / 1000);
    conditions = [
      { type: 'Ready', status: 'Unknown', reason: 'ConnectorSilent', message: `no heartbeat for ${silent}s`,
        lastTransitionTime: new Date(a.lastHeartbeatAt.getTime() + UNKNOWN_AFTER_MS).toISOString() },
      ...conditions.filter((x) => x.type !== 'Ready'),
    ];
  }
  return {
    phase,
    conditions,
    lastHeartbeatAt: a?.lastHeartbeatAt?.toISOString() ?? null,
    kubernetesVersion: a?.kubernetesVersion ?? null,
    nodeCount: a?.nodeCount ?? null,
    connectorVersion: a?.connectorVersion ?? null,
    desiredRevision: c.desiredRevision,
    appliedRevision: a?.appliedRevision ?? null,
  };
}

export const renderCluster = (c: ClusterRow, a: ClusterAgentRow | undefined, now: Date) =>
  toResource<{ description?: string }, ClusterStatus>(c, clusterStatus(c, a, now));

/** One cluster with its health, for single-resource answers. */
export async function viewCluster(db: Db, c: ClusterRow, now: Date) {
  const agents = await agentsOf(db, [c.uid]);
  return renderCluster(c, agents.get(c.uid), now);
}

/** The agent rows of these clusters, in one query. */
export async function agentsOf(db: Db, uids: string[]) {
  if (uids.length === 0) return new Map<string, ClusterAgentRow>();
  const rows = await db.select().from(clusterAgents).where(inArray(clusterAgents.clusterUid, uids));
  return new Map(rows.map((r) => [r.clusterUid, r]));
}

/** The phase computed in SQL, as `clusterPhase` computes it, for `?phase=` filters. */
export function phaseSql(now: Date) {
  const unknown = new Date(now.getTime() - UNKNOWN_AFTER_MS).toISOString();
  const offline = new Date(now.getTime() - OFFLINE_AFTER_MS).toISOString();
  return sql<string>`coalesce((select case
      when a.last_heartbeat_at is null then 'Pending'
      when a.last_heartbeat_at < ${offline}::timestamptz then 'Offline'
      when a.last_heartbeat_at < ${unknown}::timestamptz then 'Unknown'
      when a.ready then 'Ready' else 'NotReady' end
    from cluster_agents a where a.cluster_uid = ${clusters.uid}), 'Pending')`;
}
