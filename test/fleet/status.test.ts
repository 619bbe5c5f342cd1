import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterStatusReports } from '../../db/schema/index.js';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';
import { joinCluster } from '../support/fleet.js';

let h: Harness;
let c: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  h = await startHarness();
  await seedTenant(h, 'acme');
  c = await joinCluster(h, 'acme', 's');
});
afterAll(() => h.close());

const report = (seq: number, revision: number, health = 'Healthy') =>
  h.call('PUT', '/v1/connector/status', {
    token: c.credential,
    body: { seq, revision, apps: [{ name: 'web', revision, resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', health }] }] },
  });
const stored = async () => (await h.db.select().from(clusterStatusReports).where(eq(clusterStatusReports.clusterUid, c.uid)))[0];

describe('status ingestion', () => {
  it('keeps the newest report by seq: duplicates and older reports change nothing', async () => {
    expect((await report(5, 2)).status).toBe(204);
    expect(await stored()).toMatchObject({ seq: 5, revision: 2 });
    expect((await report(5, 9, 'Degraded')).status).toBe(204); // a duplicate seq
    expect((await report(3, 1, 'Degraded')).status).toBe(204); // overtaken in flight
    const kept = await stored();
    expect(kept).toMatchObject({ seq: 5, revision: 2 });
    expect(kept!.apps[0]!.resources[0]).toMatchObject({ health: 'Healthy' });
    expect((await report(6, 3, 'Progressing')).status).toBe(204);
    expect(await stored()).toMatchObject({ seq: 6, revision: 3 });
  });

  it('concurrent reports settle on the highest seq', async () => {
    await Promise.all([10, 8, 12, 9, 11].map((seq) => report(seq, seq)));
    expect(await stored()).toMatchObject({ seq: 12, revision: 12 });
  });
});
