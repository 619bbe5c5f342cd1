import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters, templates, type ClusterRow } from '../../db/schema/index.js';
import { getResource } from '../../worker/lib/resource-store.js';
import { harnessWithTenant, seedTenant, type Harness } from '../support/harness.js';

/**
 * getResource runs a statement built once per table (db/table-select.ts) on
 * the handle it is given: rows must come as drizzle's own select maps them,
 * and inside a transaction it must read through that transaction.
 */
let h: Harness;
let tenantId: string;
beforeAll(async () => {
  const started = await harnessWithTenant('acme');
  h = started.h;
  tenantId = started.tenant.uid;
});
afterAll(() => h.close());

const put = (name: string, labels: Record<string, string>) =>
  h.call('PUT', `/v1/tenants/acme/clusters/${name}`, { token: h.adminToken, body: { metadata: { labels }, spec: {} } });

describe('a statement built once, run on the handle given', () => {
  it('maps a row as drizzle select does: dates, JSON and bigint columns alike', async () => {
    expect((await put('edge', { env: 'dev' })).status).toBe(201);
    const [direct] = await h.db.select().from(clusters).where(eq(clusters.name, 'edge'));
    const read = await getResource<ClusterRow>(h.db, clusters, tenantId, 'edge');
    expect(read).toEqual(direct);
    expect(read!.createdAt).toBeInstanceOf(Date);
    expect(typeof read!.desiredRevision).toBe(typeof direct!.desiredRevision);
  });

  it('answers undefined for another tenant and a name not there, and each table its own', async () => {
    const other = (await seedTenant(h, 'globex')).uid;
    expect(await getResource(h.db, clusters, other, 'edge')).toBeUndefined();
    expect(await getResource(h.db, clusters, tenantId, 'nowhere')).toBeUndefined();
    expect(await getResource(h.db, templates, tenantId, 'edge')).toBeUndefined();
    expect((await getResource<ClusterRow>(h.db, clusters, tenantId, 'edge'))?.name).toBe('edge');
  });

  it('reads through the transaction it is given: its own uncommitted write included', async () => {
    await h.db.transaction(async (tx) => {
      await tx.update(clusters).set({ labels: { env: 'prod' } }).where(eq(clusters.name, 'edge'));
      expect((await getResource<ClusterRow>(tx, clusters, tenantId, 'edge'))?.labels).toEqual({ env: 'prod' });
      tx.rollback();
    }).catch((e: Error) => {
      if (!/rollback/i.test(e.message)) throw e;
    });
    expect((await getResource<ClusterRow>(h.db, clusters, tenantId, 'edge'))?.labels).toEqual({ env: 'dev' });
  });
});
