import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters, type ClusterRow } from '../../db/schema/index.js';
import { getResource, putResource } from '../../worker/lib/resource-store.js';
import { etagOf } from '../../worker/lib/preconditions.js';
import { harnessWithTenant, type Harness } from '../support/harness.js';

/**
 * A PUT may replace the row it read before its transaction in one statement
 * (putResource's `seen`), without reading it again under a lock. When the row
 * changed in between, it must act exactly as the locked read-then-write does:
 * on the row as it is now, its preconditions judged against that row.
 */
let h: Harness;
let tenantId: string;
beforeAll(async () => {
  const started = await harnessWithTenant('acme');
  h = started.h;
  tenantId = started.tenant.uid;
});
afterAll(() => h.close());

const scope = () => eq(clusters.tenantId, tenantId);
const read = (name: string) => getResource<ClusterRow>(h.db, clusters, tenantId, name);
const putCluster = (name: string, labels: Record<string, string>, spec: Record<string, unknown>) =>
  h.call('PUT', `/v1/tenants/acme/clusters/${name}`, { token: h.adminToken, body: { metadata: { labels }, spec } });
const moveRevision = { desiredRevision: sql`nextval('desired_revision_seq')` };
const put = (name: string, labels: Record<string, string>, seen: ClusterRow, ifMatch?: string) =>
  h.db.transaction((tx) => putResource<ClusterRow>(
    tx, clusters, scope(), { name, labels, spec: {} }, { ifMatch }, { tenantId }, { seen, onRelabel: moveRevision }));

describe('replacing the row read before the transaction', () => {
  it('as read: replaced, the labels move the desired revision', async () => {
    expect((await putCluster('fresh', { env: 'a' }, {})).status).toBe(201);
    const seen = (await read('fresh'))!;
    const r = await put('fresh', { env: 'b' }, seen, etagOf(seen.resourceVersion));
    expect(r.before).toEqual(seen);
    expect(r.row).toMatchObject({ labels: { env: 'b' }, generation: seen.generation });
    expect(r.row.resourceVersion).toBeGreaterThan(seen.resourceVersion);
    expect(r.row.desiredRevision).toBeGreaterThan(seen.desiredRevision);
    expect(await read('fresh')).toEqual(r.row);
  });

  it('changed since it was read: replaced as it is now, with that as `before`', async () => {
    expect((await putCluster('moved', { env: 'a' }, {})).status).toBe(201);
    const seen = (await read('moved'))!;
    expect((await putCluster('moved', { env: 'b' }, { description: 'x' })).status).toBe(200);
    const now = (await read('moved'))!;
    const r = await put('moved', { env: 'c' }, seen);
    expect(r.before).toEqual(now);
    // the spec went back from { description } to {}: one generation more than now, not than when it was read
    expect(r.row).toMatchObject({ labels: { env: 'c' }, spec: {}, generation: now.generation + 1 });
    expect(r.row.desiredRevision).toBeGreaterThan(now.desiredRevision);
  });

  it('changed since it was read: If-Match is judged against the row as it is now', async () => {
    expect((await putCluster('guarded', { env: 'a' }, {})).status).toBe(201);
    const seen = (await read('guarded'))!;
    expect((await putCluster('guarded', { env: 'b' }, {})).status).toBe(200);
    const now = (await read('guarded'))!;
    // the ETag read first no longer matches, although it matches the row the PUT was given
    await expect(put('guarded', { env: 'c' }, seen, etagOf(seen.resourceVersion))).rejects.toMatchObject({ status: 412 });
    expect(await read('guarded')).toEqual(now);
    // the current ETag matches, although the row the PUT was given does not carry it
    const r = await put('guarded', { env: 'c' }, seen, etagOf(now.resourceVersion));
    expect(r).toMatchObject({ changed: true, before: now, row: { labels: { env: 'c' } } });
  });

  it('deleted and made again under the same name: the new row is the one replaced', async () => {
    expect((await putCluster('again', { env: 'a' }, {})).status).toBe(201);
    const seen = (await read('again'))!;
    expect((await h.call('DELETE', '/v1/tenants/acme/clusters/again', { token: h.adminToken })).status).toBe(204);
    expect((await putCluster('again', { env: 'a' }, {})).status).toBe(201);
    const now = (await read('again'))!;
    expect(now.uid).not.toBe(seen.uid);
    const r = await put('again', { env: 'b' }, seen);
    expect(r.before).toEqual(now);
    const rows = await h.db.select().from(clusters).where(and(scope(), eq(clusters.name, 'again')));
    expect(rows).toEqual([r.row]);
  });
});
