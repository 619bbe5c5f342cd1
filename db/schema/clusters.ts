import { bigint, integer, pgSequence, pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

export const desiredRevisionSeq = pgSequence('desired_revision_seq');

/**
 * What users declare about a cluster. The connector's reports live in
 * `cluster_agents`, so heartbeats never rewrite this row (nor its resourceVersion).
 * Stored with fillfactor 70 (migration 0013, which drizzle cannot declare): a
 * fan-out moves the desired revision of every placed cluster, and with room on
 * the page that update touches no index.
 */
export const clusters = pgTable(
  'clusters',
  {
    ...resourceColumns(),
    tenantId: tenantRef(),
    /** grows whenever what is placed on the cluster may have changed */
    desiredRevision: bigint('desired_revision', { mode: 'number' }).notNull().default(0),
    /** credentials carry the generation they were minted for; revoking bumps it */
    credentialGeneration: integer('credential_generation').notNull().default(0),
  },
  (t) => [uniqueIndex('clusters_tenant_name_key').on(t.tenantId, t.name)],
);

export type ClusterRow = typeof clusters.$inferSelect;
