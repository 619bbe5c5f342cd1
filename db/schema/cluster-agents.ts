import { bigint, boolean, integer, json, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clusters } from './clusters.js';

export interface ClusterCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The connector's side of a cluster: one narrow row per cluster, updated in
 * place by every heartbeat (one UPDATE, no other row touched).
 */
export const clusterAgents = pgTable('cluster_agents', {
  clusterUid: uuid('cluster_uid')
    .primaryKey()
    .references(() => clusters.uid, { onDelete: 'cascade' }),
  registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true, mode: 'date' }),
  /** the connector's own verdict (its Ready condition); Unknown/Offline are derived from time */
  ready: boolean('ready').notNull().default(false),
  kubernetesVersion: text('kubernetes_version'),
  nodeCount: integer('node_count'),
  connectorVersion: text('connector_version'),
  appliedRevision: bigint('applied_revision', { mode: 'number' }),
  conditions: json('conditions').$type<ClusterCondition[]>().notNull().default([]),
  /** the silence (Unknown, Offline) whose events the sweeper wrote since the last heartbeat, which clears it */
  silenceRecorded: text('silence_recorded').$type<'Unknown' | 'Offline'>(),
});

export type ClusterAgentRow = typeof clusterAgents.$inferSelect;
