import { sql } from 'drizzle-orm';

/**
 * A list as one Postgres array parameter, `= any(...)`-ready: one bound value
 * however long the list (a fan-out passes 10,000 ids), and the same on every
 * driver, since it travels as array-literal text. Elements are quoted.
 */
export function arrayParam(values: string[], type: 'uuid' | 'text') {
  const literal = `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  return sql`${literal}::${sql.raw(type)}[]`;
}
