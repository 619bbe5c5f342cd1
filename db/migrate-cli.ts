/** `npm run db:migrate`: applies migrations/ to DATABASE_URL, or to the embedded database. */
import { join } from 'node:path';
import { openNodePostgres } from './node-postgres.js';
import { openPglite } from './pglite.js';

const url = process.env.DATABASE_URL;
if (url) {
  const { pool, migrate } = openNodePostgres(url, 1);
  await migrate();
  await pool.end();
  console.log('migrated', new URL(url).pathname.slice(1));
} else {
  const dir = join(process.env.FLEETPLANE_DATA_DIR ?? '.fleetplane', 'pgdata');
  const { client, migrate } = await openPglite(dir);
  await migrate();
  await client.close();
  console.log('migrated', dir);
}
