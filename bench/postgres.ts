import { openNodePostgres } from '../db/node-postgres.js';
import { createDatabase } from '../test/support/postgres.js';

/** A fresh database on the local Postgres, migrated; `drop` removes it. */
export async function migratedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = await createDatabase();
  try {
    const { pool, migrate } = openNodePostgres(database.url, 1);
    try {
      await migrate();
    } finally {
      await pool.end();
    }
    return database;
  } catch (err) {
    await database.drop();
    throw err;
  }
}
