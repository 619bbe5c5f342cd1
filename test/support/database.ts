import type { Db } from '../../db/client.js';
import { openNeon, useLocalWsProxy } from '../../db/neon.js';
import { openNodePostgres } from '../../db/node-postgres.js';
import { openPooledPglite } from './pglite-pool.js';
import { createMigratedDatabase } from './postgres.js';
import { startWsPipe } from '../../scripts/dev-worker/ws-pipe.js';

/** devworker: the app in workerd behind `npm run dev:worker`, on the real Postgres */
export type Driver = 'pglite' | 'pg' | 'neon' | 'devworker';

export const driverUnderTest = (): Driver => (process.env.FP_TEST_DB as Driver | undefined) ?? 'pglite';

/**
 * A fresh, migrated database behind the chosen driver (PGlite: an emptied one, see
 * pglite-pool.ts). Postgres databases get the migration files applied with drizzle's
 * migrator, exactly as in production.
 */
export async function openTestDatabase(driver: Exclude<Driver, 'devworker'>): Promise<{ db: Db; close: () => Promise<void> }> {
  if (driver === 'pglite') return openPooledPglite();
  const database = await createMigratedDatabase();
  if (driver === 'pg') {
    const { db, pool } = openNodePostgres(database.url);
    return { db, close: async () => { await pool.end(); await database.drop(); } };
  }
  const pipe = await startWsPipe();
  useLocalWsProxy(pipe.proxy);
  const { db, pool } = openNeon(database.url, 10);
  return {
    db,
    close: async () => {
      await pool.end();
      await pipe.close();
      await database.drop();
    },
  };
}
