import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let clusters: Awaited<ReturnType<typeof joinCluster>>[];
let outside: Awaited<ReturnType<typeof joinCluster>>;

beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  clusters = [];
  for (const name of ['c-1', 'c-2', 'c-3']) clusters.push(await joinCluster(h, 'acme', name, { env: 'prod' }));
  outside = await joinCluster(h, 'acme', 'dev-1', { env: 'dev' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const replicasOf = (d: { objects: any[] }) => d.objects.find((o) => o.kind === 'Deployment')?.spec.replicas;
const spec = (base: number) => appSpec({
  values: { replicas: base },
  overrides: [{ clusters: ['c-2'], values: { replicas: base + 1 } }, { clusters: ['c-3'], values: { replicas: base + 2 } }],
});

describe('desired state read over and over, as a fan-out makes every connector do', () => {
  it('each cluster gets its own content on every read, and a change shows on the next read', async () => {
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec(1))).status).toBe(201);
    // Well past the reads after which Postgres may plan a prepared statement once for all values.
    for (let round = 0; round < 8; round++) {
      for (const [i, c] of clusters.entries()) {
        const d = await desiredOf(h, c.credential);
        expect(replicasOf(d)).toBe(1 + i);
        expect(d.apps).toEqual([{ kind: 'App', name: 'shop', revision: 1, generation: 1, deletionPolicy: 'Delete' }]);
      }
      expect((await desiredOf(h, outside.credential)).objects).toEqual([]);
    }
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec(4))).status).toBe(200);
    for (const [i, c] of clusters.entries()) {
      const d = await desiredOf(h, c.credential);
      expect(replicasOf(d)).toBe(4 + i);
      expect(d.apps[0]).toMatchObject({ revision: 2, generation: 2 });
      expect(d.objects.every((o) => o.metadata.annotations['fleetplane.io/revision'] === '2')).toBe(true);
    }
  });
});

describe('If-None-Match on the desired state', () => {
  it('304 for the held revision (alone or in a list), the content for any other; revocation still answers 401', async () => {
    const c = clusters[0]!;
    const get = (inm?: string) => h.call('GET', '/v1/connector/desired-state', { token: c.credential, headers: inm ? { 'if-none-match': inm } : {} });
    const full = await get();
    expect(full.status).toBe(200);
    const etag = full.headers.get('etag')!;
    const revision = (full.body as { revision: number }).revision;
    expect(etag).toBe(`"${revision}"`);
    expect((await get(etag)).status).toBe(304);
    expect((await get(`W/${etag}`)).status).toBe(304);
    expect((await get(`"${revision - 1}", ${etag}`)).status).toBe(304);
    for (const other of [`"${revision - 1}"`, '"x"']) {
      const r = await get(other);
      expect(r.status, other).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.body).toEqual(full.body);
    }
    expect((await h.call('POST', '/v1/tenants/acme/clusters/c-1/revoke', { token: h.adminToken })).status).toBe(200);
    expect((await get(etag)).status).toBe(401);
    expect((await get()).status).toBe(401);
  });
});
