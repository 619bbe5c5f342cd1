import { integer, json, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

/** An app: a template version deployed to the clusters its placement selects. */
export const apps = pgTable(
  'apps',
  {
    ...resourceColumns(),
    tenantId: tenantRef(),
    /** the newest entry in app_revisions (1, 2, 3… per app) */
    revision: integer('revision').notNull().default(0),
    /** the phase the newest AppPhaseChanged event names: an event is written when the rolled-up phase moves from it */
    phaseRecorded: text('phase_recorded'),
  },
  (t) => [uniqueIndex('apps_tenant_name_key').on(t.tenantId, t.name)],
);

/** Every spec an app was given, numbered per app: what rollback returns to. */
export const appRevisions = pgTable(
  'app_revisions',
  {
    appUid: uuid('app_uid')
      .notNull()
      .references(() => apps.uid, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    generation: integer('generation').notNull(),
    spec: json('spec').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.appUid, t.revision] })],
);

export type AppRow = typeof apps.$inferSelect;
export type AppRevisionRow = typeof appRevisions.$inferSelect;
