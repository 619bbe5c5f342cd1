import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';

/** status.clusters is capped at 100, those needing attention first; GET .../apps/{app}/clusters pages through all. */
let h: Harness;
let t: SeededTenant;
const names = Array.from({ length: 103 }, (_, i) => `c-${String(i).padStart(3, '0')}`);
const ready = ['c-000', 'c-001'];
const credentials = new Map<string, string>();
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  for (const name of ready) {
    const c = await joinCluster(h, 'acme', name, { env: 'prod' });
    await heartbeat(h, c.credential);
    credentials.set(name, c.credential);
  }
  for (const name of names.filter((n) => !ready.includes(n))) {
    const r = await h.call('PUT', `/v1/tenants/acme/clusters/${name}`, { token: h.adminToken, body: { metadata: { labels: { env: 'prod' } }, spec: {} } });
    expect(r.status).toBe(201);
  }
  await publishWebTemplate(h, 'acme', t.tokens.operator);
  expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(201);
  for (const name of ready) {
    const r = await h.call('PUT', '/v1/connector/status', {
      token: credentials.get(name),
      body: { seq: 1, revision: 0, apps: [{ name: 'shop', revision: 1, resources: [
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'shop', health: 'Healthy' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'shop-config', health: 'Healthy' },
      ] }] },
    });
    expect(r.status).toBe(204);
  }
});
afterAll(() => h.close());

const clusters = (query = '', token = t.tokens.viewer) => h.call('GET', `/v1/tenants/acme/apps/shop/clusters${query}`, { token });

describe("an app's clusters", () => {
  it('status.clusters holds 100 of 103, those not Ready first; the summary counts all', async () => {
    const a = (await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer })).body;
    expect(a.status.summary).toMatchObject({ clusters: 103, ready: 2, progressing: 101 });
    expect(a.status.clusters).toHaveLength(100);
    expect(a.status.clusters.map((c: { name: string }) => c.name)).toEqual(names.filter((n) => !ready.includes(n)).slice(0, 100));
    // the PUT's answer is capped as well
    const put = await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: 3 } }));
    expect(put.body.status.clusters).toHaveLength(100);
  });

  it('pages through every cluster by name, and filters by phase', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    do {
      const r = await clusters(`?limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((c: { name: string }) => c.name));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);
    const readyOnly = await clusters('?phase=Ready');
    expect(readyOnly.body.items.map((c: { name: string; phase: string; resources: unknown[] }) => [c.name, c.phase, c.resources.length])).toEqual([['c-000', 'Ready', 2], ['c-001', 'Ready', 2]]);
    expect((await clusters('?phase=Failed')).body).toEqual({ items: [], nextCursor: null });
    // a cursor belongs to its listing
    const first = await clusters('?limit=2&phase=Pending');
    expect((await clusters(`?phase=Ready&cursor=${encodeURIComponent(first.body.nextCursor)}`)).status).toBe(400);
  });

  it('refuses a bad query naming each field; 401 without a token, 404 for another tenant or a missing app', async () => {
    const bad = await clusters('?phase=Green&limit=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/limit', '/phase']);
    expect((await h.call('GET', '/v1/tenants/acme/apps/shop/clusters')).status).toBe(401);
    const globex = await seedTenant(h, 'globex');
    expect((await clusters('', globex.tokens.owner)).status).toBe(404);
    expect((await h.call('GET', '/v1/tenants/acme/apps/nope/clusters', { token: t.tokens.viewer })).status).toBe(404);
  });
});
