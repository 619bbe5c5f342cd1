import type { SQL } from 'drizzle-orm';
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * Runs raw SQL as a named prepared statement, so Postgres parses and plans it
 * once per connection instead of on every call (node-postgres and Neon; PGlite
 * ignores the name). For hot statements only: the text must never vary.
 */
export async function executeNamed<R>(db: Db, name: string, query: SQL): Promise<R[]> {
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
  const result = await session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
  return (result as { rows: R[] }).rows;
}
