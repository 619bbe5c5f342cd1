import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { schema, type Db } from './client.js';
import { migrationsFolder } from './migrations-folder.js';

export function openNodePostgres(url: string, max = 10) {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // an idle client dropped by the server; the pool replaces it
  const d = drizzle(pool, { schema });
  return { pool, db: d as unknown as Db, migrate: () => migrate(d, { migrationsFolder }) };
}
