import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows.js';
import { refreshPlacementStatistics } from '../../worker/domain/placement/statistics.js';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  for (const name of ['a', 'b', 'c']) await joinCluster(h, 'acme', name, { env: 'prod' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const known = async () => Number(rowsOf<{ reltuples: number }>(await h.db.execute(sql`select reltuples from pg_class where oid = 'placements'::regclass`))[0]!.reltuples);

describe('planner statistics of placements', () => {
  it('a write adding more placements than the statistics know of analyzes the table; a small one leaves it to autovacuum', async () => {
    await h.db.execute(sql`analyze placements`); // as on a new installation: analyzed while empty
    expect(await known()).toBeLessThanOrEqual(0);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ placement: { selector: { matchLabels: { env: 'prod' } } } }))).status).toBe(201);
    expect(await known()).toBeLessThanOrEqual(0); // 3 new placements: under the threshold
    await refreshPlacementStatistics(h.db, 3, 1);
    expect(await known()).toBe(3);
  });
});
