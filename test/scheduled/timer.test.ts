import { sql } from 'drizzle-orm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer } from '../../worker/node/server.js';
import type { ScheduledJob } from '../../worker/scheduled/job.js';
import { JOBS } from '../../worker/scheduled/jobs.js';
import { startScheduledTimer, type ScheduledTimerOptions } from '../../worker/scheduled/timer.js';
import { driverUnderTest } from '../support/database.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createMigratedDatabase } from '../support/postgres.js';

const ADMIN = `fp_${'s'.repeat(43)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(done: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(5);
  expect(done()).toBe(true);
}

let h: Harness;
let dir: string;
let database: { url: string; drop: () => Promise<void> } | undefined;
const log = vi.spyOn(console, 'log').mockImplementation(() => {});
beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-scheduled-'));
  if (driverUnderTest() === 'pg') database = await createMigratedDatabase();
});
afterAll(async () => {
  log.mockRestore();
  await h.close();
  await rm(dir, { recursive: true, force: true });
  await database?.drop();
});

/** The server on the driver under test: the embedded PGlite, or node-postgres to the real Postgres. */
const startServer = (scheduled: ScheduledTimerOptions) =>
  startNodeServer(
    parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, DATABASE_URL: database?.url }), '127.0.0.1', { scheduled },
  );

describe('the scheduled timer on Node', () => {
  it('runs again and again, and not after stop; a run that did something is one JSON line', async () => {
    let runs = 0;
    const timer = startScheduledTimer(h.db, { everyMs: 10, jobs: [{ name: 'count', run: async () => ++runs }] });
    await until(() => runs >= 3);
    await timer.stop();
    const stoppedAt = runs;
    await sleep(50);
    expect(runs).toBe(stoppedAt);
    expect(log).toHaveBeenCalledWith('{"scheduled":{"count":1}}');
  });

  it('stop waits for the run in progress', async () => {
    let started = false;
    let finished = false;
    const slow: ScheduledJob = { name: 'slow', run: async () => { started = true; await sleep(100); finished = true; return 1; } };
    const timer = startScheduledTimer(h.db, { everyMs: 10, jobs: [slow] });
    await until(() => started);
    await timer.stop();
    expect(finished).toBe(true);
  });

  it("the server's close waits for a run in progress before closing the database", async () => {
    let started = false;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let outcome: string | undefined;
    const slow: ScheduledJob = {
      name: 'slow',
      run: async (db) => {
        started = true;
        await held;
        await db.execute(sql`select 1`).then(() => (outcome = 'ok'), (err) => (outcome = String(err)));
        return 1;
      },
    };
    const server = await startServer({ everyMs: 10, jobs: [slow] });
    await until(() => started);
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await sleep(500);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(outcome).toBe('ok');
  });

  it('no run starts once the server is closed', async () => {
    let runs = 0;
    const server = await startServer({ everyMs: 10, jobs: [{ name: 'count', run: async () => ++runs }] });
    await until(() => runs >= 1);
    await server.close();
    const closedAt = runs;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await sleep(100);
      expect(runs).toBe(closedAt);
      expect(errors).not.toHaveBeenCalled(); // a run on the closed database would fail before its jobs
    } finally {
      errors.mockRestore();
    }
  });

  it('the server runs the real jobs on its own database, without error', async () => {
    const errors = vi.spyOn(console, 'error');
    try {
      const done: number[] = [];
      const watched = JOBS.map((job): ScheduledJob => ({
        name: job.name,
        run: async (db, now, pushes) => {
          const n = await job.run(db, now, pushes);
          done.push(n);
          return n;
        },
      }));
      const server = await startServer({ everyMs: 10, jobs: watched });
      await until(() => done.length >= 2 * JOBS.length);
      await server.close();
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
