import pg from 'pg';
import { openNodePostgres } from '../../db/node-postgres.js';

export const PG_HOST = process.env.PGHOST_TEST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.PGPORT_TEST ?? 5432);
const adminUrl = `postgres://postgres:postgres@${PG_HOST}:${PG_PORT}/postgres`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new, empty database on the machine's Postgres; never reuses `test`. */
export async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fp_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await admin((c) => c.query(`create database ${name}`));
  return {
    url: `postgres://postgres:postgres@${PG_HOST}:${PG_PORT}/${name}`,
    drop: () => dropDatabase(name),
  };
}

export const dropDatabase = (name: string) => admin((c) => dropWhenIdle(c, name));

/**
 * Every table of the application emptied and its sequences restarted, as a fresh migrated
 * database has them (the migrations seed no rows); drizzle's own record of them stays.
 */
export const EMPTY_DATABASE_SQL = `do $$
  declare tables text; s record;
  begin
    select string_agg(format('%I.%I', schemaname, tablename), ', ') into tables from pg_tables where schemaname = 'public';
    if tables is not null then execute 'truncate ' || tables || ' restart identity cascade'; end if;
    for s in select schemaname, sequencename from pg_sequences where schemaname = 'public' loop
      execute format('alter sequence %I.%I restart', s.schemaname, s.sequencename);
    end loop;
  end $$`;

/** EMPTY_DATABASE_SQL on the machine's Postgres. */
export async function emptyDatabase(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(EMPTY_DATABASE_SQL);
  } finally {
    await c.end();
  }
}

/**
 * pg-pool's end() resolves once its clients leave the pool, before their sockets close, so a
 * forced drop right after it terminates live sessions and their clients throw 57P01 uncaught.
 * Wait a bounded while for them to go; force only what is still there after that.
 */
async function dropWhenIdle(c: pg.Client, name: string, waitMs = 2000): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    const { rows } = await c.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    if (rows[0]!.n === 0 || Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await c.query(`drop database if exists ${name} with (force)`);
}

/** A fresh database with migrations/ applied by drizzle's migrator, as production does; dropped again if that fails. */
export async function createMigratedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
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
