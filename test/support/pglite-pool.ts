import { readFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { inject } from 'vitest';
import { schema, type Db } from '../../db/client.js';
import { openPglite } from '../../db/pglite.js';
import { EMPTY_DATABASE_SQL } from './postgres.js';

const idle = Symbol.for('fleetplane.test.idlePglite');

/**
 * A migrated PGlite database, reused across the test files of this process: opening one from
 * the snapshot took 0.6-0.9 s, emptying one 25-35 ms, and the PGlite project opens one in
 * nearly every file. One handed out again is emptied first (session state discarded, every
 * table truncated, sequences restarted). The handle given to a file fails once it closes it,
 * as a closed PGlite does, so what the file left running cannot write into the next file's.
 */
export async function openPooledPglite(): Promise<{ db: Db; close: () => Promise<void> }> {
  const pool: PGlite[] = ((globalThis as Record<symbol, PGlite[]>)[idle] ??= []);
  let client = pool.pop();
  if (client) {
    // apart: `discard all` cannot run in the implicit transaction of a multi-statement string
    await client.exec('discard all');
    await client.exec(EMPTY_DATABASE_SQL);
  } else {
    client = (await openPglite(undefined, new Blob([await readFile(inject('pgliteSnapshot'))]))).client;
  }
  const real = client;
  let open = true;
  const guarded = new Proxy(real, {
    get(target, key) {
      if (!open) throw new Error('PGlite is closed');
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: drizzle(guarded, { schema }) as unknown as Db,
    close: async () => {
      if (!open) return;
      open = false;
      pool.push(real);
    },
  };
}
