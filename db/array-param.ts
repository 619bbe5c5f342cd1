import { sql } from 'drizzle-orm';

/**
 * A list as one Postgres array parameter, `= any(...)`-ready: one bound value
 * however long the list (a fan-out passes 10,000 ids), and the same on every
 * driver, since it travels as array-literal text. Elements are quoted.
 */
export function arrayParam(values: string[], type: 'uuid' | 'text') {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;
}

/** The array-literal text of a list, elements quoted: the value for a prepared statement's `$1::uuid[]`. */
export const arrayLiteral = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** Numbers as one `int[]` or `bigint[]` parameter; undefined becomes NULL. */
export const numbersParam = (values: (number | undefined)[], type: 'int' | 'bigint') =>
  sql`${`{${values.map((v) => (v === undefined ? 'NULL' : String(Math.trunc(v)))).join(',')}}`}::${sql.raw(type)}[]`;

/** Booleans as one `boolean[]` parameter. */
export const booleansParam = (values: boolean[]) => sql`${`{${values.join(',')}}`}::boolean[]`;
