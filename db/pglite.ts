import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { schema, type Db } from './client.js';
import { migrationsFolder } from './migrations-folder.js';

/** The embedded default: Postgres in WASM, kept in `dataDir` (in memory when omitted). */
export async function openPglite(dataDir?: string, loadDataDir?: Blob) {
  const client = await PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
  const db = drizzle(client, { schema }) as unknown as Db;
  return { client, db, migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder }) };
}
