import { getTableColumns, type Query, type SQL } from 'drizzle-orm';
import type { PgSession, PgTable, SelectedFieldsOrdered } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * `select * from <table> where ...` with `sql.placeholder`s, its text built
 * once per process and run on whichever handle or transaction is given, as a
 * named prepared statement (Postgres plans it once per connection; PGlite
 * ignores the name). Drizzle builds a select's text again on every run: on a
 * cluster relabel its own code was a quarter of the server's CPU, about half
 * of that building text (an `is()` check per column and chunk).
 * Rows come mapped as `db.select().from(table)` maps them.
 */
export function tableSelect<T extends PgTable>(name: string, table: T, where: (t: T) => SQL, limit?: number) {
  let query: Query | undefined;
  const fields = Object.entries(getTableColumns(table)).map(([key, field]) => ({ path: [key], field })) as SelectedFieldsOrdered;
  return async (db: Db, values: Record<string, unknown>): Promise<T['$inferSelect'][]> => {
    if (!query) {
      const base = db.select().from(table as PgTable).where(where(table));
      query = (limit === undefined ? base : base.limit(limit)).toSQL();
    }
    const { session } = db as unknown as { session: PgSession };
    return (await session.prepareQuery(query, fields, name, true).execute(values)) as T['$inferSelect'][];
  };
}
