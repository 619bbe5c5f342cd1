import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A row Postgres gave as JSON (`json_agg(t)`, `to_json(t)`: keys are column
 * names) as drizzle's own select maps it: by property, each value through its
 * column's driver mapping (dates, bigints; a `json` column's value arrives
 * already parsed, in the order it was written). Several tables can then be
 * read in one statement.
 */
export function fromJsonRow<T extends PgTable>(table: T, row: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T['$inferSelect'];
}

/** A `json` result column: node-postgres, Neon and PGlite parse it; parsed here if a driver did not. */
export const parsedJson = <V>(value: unknown): V => (typeof value === 'string' ? JSON.parse(value) : value) as V;
