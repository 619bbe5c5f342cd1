import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.js';

export { schema };
export type Schema = typeof schema;

/** Any drizzle Postgres handle (PGlite, node-postgres, Neon) or a transaction on one. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * How the app reaches its database. On Node one handle serves every request;
 * on Workers a connection lives only as long as one request, so `open` is per request.
 */
export interface DbProvider {
  open(): Promise<{ db: Db; release: () => Promise<void> }>;
}

export const sharedDb = (db: Db): DbProvider => {
  // one answer for every request: a closure made per request cost a GET about 2% of its CPU
  const opened = { db, release: async () => {} };
  return { open: async () => opened };
};
