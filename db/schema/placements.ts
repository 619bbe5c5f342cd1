import { index, integer, json, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clusters } from './clusters.js';
import { tenantRef } from './tenant-ref.js';

/**
 * Rendered objects, stored once per distinct content and named by its sha256
 * (as Rancher Fleet's Content objects): storage grows with distinct renders,
 * not with clusters × apps.
 */
export const renderedContents = pgTable('rendered_contents', {
  hash: text('hash').primaryKey(),
  objects: json('objects').$type<Record<string, unknown>[]>().notNull(),
  /** bytes of the objects' canonical JSON; null for contents stored before it was kept (measured when needed) */
  size: integer('size'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export type OwnerKind = 'App' | 'Namespace';

/** What a connector's report says of one owner on one cluster, at the revision it reported. */
export type ReportPhase = 'Ready' | 'Progressing' | 'Failed' | 'Suspended';

/**
 * What one owner (an app or a federated namespace) puts on one cluster. A
 * cluster's desired state is the union of its placements. Stored with
 * fillfactor 80 (migration 0013): a status report's verdict then updates the
 * row on its page without touching an index.
 */
export const placements = pgTable(
  'placements',
  {
    clusterUid: uuid('cluster_uid')
      .notNull()
      .references(() => clusters.uid, { onDelete: 'cascade' }),
    ownerUid: uuid('owner_uid').notNull(),
    tenantId: tenantRef(),
    ownerKind: text('owner_kind').$type<OwnerKind>().notNull(),
    ownerName: text('owner_name').notNull(),
    /**
     * The rendered content; null only while a render for this cluster has never succeeded. Not a foreign
     * key: a fan-out rewrites this column on every placed cluster, and checking each row against
     * rendered_contents was a quarter of that statement. Every write that names a content stores and locks
     * it in the same transaction, and collection only deletes what it has locked (see collect.ts).
     */
    contentHash: text('content_hash'),
    /** the owner's revision when this cluster's content last changed */
    revision: integer('revision').notNull(),
    deletionPolicy: text('deletion_policy').$type<'Delete' | 'Orphan'>().notNull().default('Delete'),
    /** why the newest render for this cluster failed (the content above is the last good one) */
    error: text('error'),
    /**
     * A progressive rollout's newest render that is not yet released to this
     * cluster (its wave has not come); null when the content above is the newest.
     */
    pendingHash: text('pending_hash'),
    /** the owner's revision of the pending content */
    pendingRevision: integer('pending_revision'),
    /** when the content above was released here: a rollout's progress deadline counts from it */
    releasedAt: timestamp('released_at', { withTimezone: true, mode: 'date' }),
    /** the owner revision the connector last reported for this placement */
    reportRevision: integer('report_revision'),
    /** that report's verdict (Ready, Progressing, Failed, Suspended): a rollout and the app's phase read this, not the report */
    reportPhase: text('report_phase').$type<ReportPhase>(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterUid, t.ownerUid] }),
    index('placements_owner_idx').on(t.ownerUid),
    // finds whether a content is still used, before it is collected
    index('placements_content_hash_idx').on(t.contentHash),
    index('placements_pending_hash_idx').on(t.pendingHash),
  ],
);

export type PlacementRow = typeof placements.$inferSelect;
