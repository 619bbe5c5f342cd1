import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import type { ScheduledJob, ScheduledRun } from '../../worker/scheduled/job.js';
import { runScheduledWork } from '../../worker/scheduled/run.js';
import { driverUnderTest } from '../support/database.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.close());

const note = (db: Db, key: string) =>
  db.execute(sql`insert into idempotency_records (scope, key, request_hash) values ('run-test', ${key}, 'h')`);
const notes = async () =>
  rowsOf<{ key: string }>(await h.db.execute(sql`select key from idempotency_records where scope = 'run-test' order by key`)).map((r) => r.key);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runScheduledWork', () => {
  it('a failing job is logged and undone; the jobs after it still run and keep their work', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const jobs: ScheduledJob[] = [
        { name: 'broken', run: async (db) => { await note(db, 'broken'); await db.execute(sql`select * from no_such_table`); return 1; } },
        { name: 'after', run: async (db) => { await note(db, 'after'); return 1; } },
      ];
      expect(await runScheduledWork(h.db, new Date(), jobs)).toEqual({ skipped: false, jobs: { broken: 'failed', after: 1 } });
      expect(await notes()).toEqual(['after']);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]![0])).toContain('broken');
    } finally {
      errors.mockRestore();
    }
  });

  it('runs the sweeper and the janitor by default', async () => {
    expect(await runScheduledWork(h.db, new Date())).toEqual({ skipped: false, jobs: { 'silent-clusters': 0, rollouts: 0, janitor: 0 } });
  });
});

// PGlite is one connection: a second run simply waits for the first, so there is nothing to skip
describe.runIf(driverUnderTest() === 'pg')('once across replicas (real Postgres)', () => {
  it('a run while another holds the lock is skipped, and does no work; the lock ends with its transaction', async () => {
    let counted = 0;
    const counting: ScheduledJob = { name: 'counting', run: async () => ++counted };
    const inner: ScheduledRun[] = [];
    const holder: ScheduledJob = { name: 'holder', run: async () => { inner.push(await runScheduledWork(h.db, new Date(), [counting])); return 1; } };
    expect(await runScheduledWork(h.db, new Date(), [holder])).toEqual({ skipped: false, jobs: { holder: 1 } });
    expect(inner).toEqual([{ skipped: true }]);
    expect(counted).toBe(0);
    expect(await runScheduledWork(h.db, new Date(), [counting])).toEqual({ skipped: false, jobs: { counting: 1 } });
  });

  it('of two runs started together, exactly one does the work', async () => {
    let counted = 0;
    const slow: ScheduledJob = { name: 'slow', run: async () => { await sleep(200); return ++counted; } };
    const runs = await Promise.all([runScheduledWork(h.db, new Date(), [slow]), runScheduledWork(h.db, new Date(), [slow])]);
    expect(runs).toContainEqual({ skipped: true });
    expect(runs).toContainEqual({ skipped: false, jobs: { slow: 1 } });
    expect(counted).toBe(1);
  });
});
