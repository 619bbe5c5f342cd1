import type { Db } from './client.js';

/**
 * One of something per database handle, built on first use: a Node process
 * shares one handle, so it shares what is built (prepared statements, batchers);
 * on Workers each request has its own handle, and its own of each.
 */
export function perDb<P>(build: (db: Db) => P): (db: Db) => P {
  const cache = new WeakMap<Db, P>();
  return (db) => {
    let p = cache.get(db);
    if (!p) cache.set(db, (p = build(db)));
    return p;
  };
}

/**
 * A drizzle prepared statement per database handle. With a name, node-postgres
 * and Neon have Postgres plan it once per connection; on Workers (a handle per
 * request) it is simply rebuilt, which costs little.
 */
export const preparedPerDb = perDb;
