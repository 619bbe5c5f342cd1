import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevWorker } from '../support/dev-worker.js';
import { createMigratedDatabase } from '../support/postgres.js';

/** `npm run dev:worker` itself: what it takes, prints, keeps and stops. */
let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
let dir: string;
beforeAll(async () => {
  database = await createMigratedDatabase();
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-dev-worker-command-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, token: string) => fetch(`${url}/v1/tenants`, { headers: { authorization: `Bearer ${token}` } });
/** processes whose command line names the data directory: wrangler (and so its workerd group) and the command */
const processesOf = (dataDir: string) => {
  try {
    return execFileSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

describe('npm run dev:worker', () => {
  it('generates the admin token once, as npm start does: printed on the first start, kept (its hash) for the next', { timeout: 60_000 }, async () => {
    const dataDir = join(dir, 'data');
    const first = await startDevWorker({ DATABASE_URL: database.url, FLEETPLANE_DATA_DIR: dataDir });
    let token: string;
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.adminToken).toMatch(/^fp_[A-Za-z0-9_-]{32,}$/);
      token = first.adminToken!;
      expect((await get(first.url, token)).status).toBe(200);
      expect((await get(first.url, `${token}x`)).status).toBe(401);
    } finally {
      await first.stop();
    }
    // stopped: nothing answers, nothing it started is left
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    expect(processesOf(dataDir)).toBe('');

    const second = await startDevWorker({ DATABASE_URL: database.url, FLEETPLANE_DATA_DIR: dataDir });
    try {
      expect(second.adminToken).toBeUndefined();
      expect((await get(second.url, token)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('takes .dev.vars, with the environment winning over it', { timeout: 60_000 }, async () => {
    const file = join(dir, 'vars');
    await writeFile(file, `DATABASE_URL=${database.url}\nFLEETPLANE_RATE_LIMIT=1000\nFLEETPLANE_ADMIN_TOKEN=fp_${'v'.repeat(40)}\n`);
    // 1 request a second: a burst of 2, then 429
    const worker = await startDevWorker({ FLEETPLANE_DEV_VARS: file, FLEETPLANE_RATE_LIMIT: '1' });
    try {
      const token = `fp_${'v'.repeat(40)}`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(worker.url, token)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await worker.stop();
    }
  });

  it('fires the cron trigger’s scheduled work: /__scheduled runs the janitor in workerd', { timeout: 60_000 }, async () => {
    const token = `fp_${'s'.repeat(40)}`;
    const worker = await startDevWorker({ DATABASE_URL: database.url, FLEETPLANE_ADMIN_TOKEN: token });
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      await db.query(`insert into idempotency_records (scope, key, request_hash, created_at) values
        ('cron-test', 'old', 'h', now() - interval '25 hours'), ('cron-test', 'fresh', 'h', now())`);
      const fired = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent('* * * * *')}`);
      expect(fired.status).toBe(200);
      await fired.text();
      const left = await db.query("select key from idempotency_records where scope = 'cron-test' order by key");
      expect(left.rows.map((r) => r.key)).toEqual(['fresh']);
      // its summary line, which wrangler may pass on a moment after the answer
      const summary = /"scheduled":"\* \* \* \* \*".*"janitor":1/;
      for (let i = 0; i < 40 && !summary.test(worker.log()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(worker.log()).toMatch(summary);
    } finally {
      await db.end();
      await worker.stop();
    }
  });

  it('stops wrangler too when whoever read its output is gone, as on a hang-up', { timeout: 60_000 }, async () => {
    const worker = await startDevWorker({ DATABASE_URL: database.url, FLEETPLANE_ADMIN_TOKEN: `fp_${'o'.repeat(40)}` });
    try {
      expect(processesOf(worker.dataDir)).not.toBe('');
      worker.closeOutput();
      // wrangler logs the request, and the command relays the line into the closed pipe (the answer may be cut short by the stop)
      await fetch(`${worker.url}/healthz`).then((r) => r.text()).catch(() => undefined);
      for (let i = 0; i < 200 && processesOf(worker.dataDir) !== ''; i++) await new Promise((r) => setTimeout(r, 50));
      expect(processesOf(worker.dataDir)).toBe('');
    } finally {
      await worker.stop();
    }
  });

  it('a bad variable stops it with a message naming the variable', { timeout: 30_000 }, async () => {
    await expect(startDevWorker({ DATABASE_URL: 'mysql://nope' })).rejects.toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    await expect(startDevWorker({ DATABASE_URL: undefined })).rejects.toThrow(/DATABASE_URL: required for dev:worker/);
  });
});
