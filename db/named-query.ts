import type { SQL } from 'drizzle-orm';
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';
import { perDb } from './prepared.js';

/**
 * Raw SQL as a named prepared statement, built once per database handle: its
 * values are `sql.placeholder`s, given on each run. Postgres parses and plans
 * it once per connection (node-postgres and Neon; PGlite ignores the name),
 * and the text is not built again per call (drizzle's query building was 6%
 * of a heartbeat's CPU).
 */
export function preparedRaw<R>(name: string, query: SQL) {
  return perDb((db: Db) => {
    const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
    const prepared = session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
    return async (values: Record<string, unknown>) => ((await prepared.execute(values)) as { rows: R[] }).rows;
  });
}
