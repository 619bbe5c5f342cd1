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

/** The array-literal text of numbers (undefined becomes NULL): the value for `$1::int[]` or `$1::bigint[]`. */
export const numbersLiteral = (values: (number | undefined)[]) =>
  `{${values.map((v) => (v === undefined ? 'NULL' : String(Math.trunc(v)))).join(',')}}`;

/** The array-literal text of booleans: the value for `$1::boolean[]`. */
export const booleansLiteral = (values: boolean[]) => `{${values.join(',')}}`;
