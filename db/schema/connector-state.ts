import { bigint, json, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clusters } from './clusters.js';

export interface ReportedApp {
  /** App unless the report is for a federated namespace */
  kind?: 'App' | 'Namespace' | undefined;
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
