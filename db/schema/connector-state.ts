import { bigint, json, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clusters } from './clusters.js';

/** The objects a cluster's connector should hold, as rendered at `revision`. */
export const desiredStates = pgTable('desired_states', {
  clusterUid: uuid('cluster_uid')
    .primaryKey()
    .references(() => clusters.uid, { onDelete: 'cascade' }),
  revision: bigint('revision', { mode: 'number' }).notNull(),
  objects: json('objects').$type<Record<string, unknown>[]>().notNull(),
});

export interface ReportedApp {
  name: string;
  revision: number;
  resources: Record<string, unknown>[];
}

/** The latest status report of a cluster's connector; a lower `seq` never replaces it. */
export const clusterStatusReports = pgTable('cluster_status_reports', {
  clusterUid: uuid('cluster_uid')
    .primaryKey()
    .references(() => clusters.uid, { onDelete: 'cascade' }),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
  apps: json('apps').$type<ReportedApp[]>().notNull(),
  reportedAt: timestamp('reported_at', { withTimezone: true, mode: 'date' }).notNull(),
});
