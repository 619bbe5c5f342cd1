import type { Db } from './client.js';

/**
 * A drizzle prepared statement per database handle, built on first use. With
 * a name, node-postgres and Neon have Postgres plan it once per connection;
 * on Workers (a handle per request) it is simply rebuilt, which costs little.
 */
export function preparedPerDb<P>(build: (db: Db) => P): (db: Db) => P {
  const cache = new WeakMap<Db, P>();
  return (db) => {
    let p = cache.get(db);
    if (!p) cache.set(db, (p = build(db)));
    return p;
  };
}
