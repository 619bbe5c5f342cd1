import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apps } from './apps.js';

export type RolloutState = 'Progressing' | 'Paused' | 'Complete';

/**
 * Where an app's progressive rollout stands: the generation it releases, the
 * wave it is on and whether it waits. One row per app with strategy
 * Progressive; the content each cluster holds is on its placement.
 */
export const appRollouts = pgTable('app_rollouts', {
  appUid: uuid('app_uid')
    .primaryKey()
    .references(() => apps.uid, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull(),
  generation: integer('generation').notNull(),
  /** the current wave, from 1; past the last one when complete */
  wave: integer('wave').notNull(),
  state: text('state').$type<RolloutState>().notNull(),
  message: text('message').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type AppRolloutRow = typeof appRollouts.$inferSelect;
