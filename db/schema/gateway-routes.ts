import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clusters } from './clusters.js';

/**
 * Which Node replica holds a cluster's gateway tunnel (its connector's
 * socket), so that another replica can forward a gateway request to it. The
 * epoch grows with every new socket: a request forwarded for an older one is
 * refused rather than sent down the wrong tunnel.
 */
export const gatewayRoutes = pgTable('gateway_routes', {
  clusterUid: uuid('cluster_uid').primaryKey().references(() => clusters.uid, { onDelete: 'cascade' }),
  replica: text('replica').notNull(),
  url: text('url').notNull(),
  epoch: bigint('epoch', { mode: 'number' }).notNull(),
  since: timestamp('since', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
