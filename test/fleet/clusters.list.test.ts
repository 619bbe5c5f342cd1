import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';
import { heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
let acme: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  h = await startHarness();
  acme = await seedTenant(h, 'acme');
  const regions = ['eu', 'eu', 'us', 'us', 'ap'];
  for (const [i, region] of regions.entries()) {
    const c = await joinCluster(h, 'acme', `c-${i}`, { region, ...(i % 2 ? { gpu: 'true' } : {}) });
    if (i < 3) await heartbeat(h, c.credential);
  }
});
afterAll(() => h.close());

const names = async (query: string) => {
  const r = await h.call('GET', `/v1/tenants/acme/clusters${query}`, { token: acme.tokens.viewer });
  expect(r.status, query).toBe(200);
  return r.body.items.map((c: { metadata: { name: string } }) => c.metadata.name);
};
const q = (s: string) => encodeURIComponent(s);

describe('listing clusters', () => {
  it('filters by set-based selectors and phase together', async () => {
    expect(await names(`?labelSelector=${q('region in (eu,us)')}`)).toEqual(['c-0', 'c-1', 'c-2', 'c-3']);
    expect(await names(`?labelSelector=${q('region notin (eu),!gpu')}`)).toEqual(['c-2', 'c-4']);
    expect(await names(`?labelSelector=gpu&phase=Ready`)).toEqual(['c-1']);
    expect(await names(`?phase=Pending`)).toEqual(['c-3', 'c-4']);
    expect(await names(`?labelSelector=${q('region=us')}&phase=Pending`)).toEqual(['c-3']);
  });

  it('a cursor is bound to the phase filter it was issued for', async () => {
    const page = await h.call('GET', '/v1/tenants/acme/clusters?limit=1&phase=Ready', { token: acme.tokens.viewer });
    expect(page.body.items).toHaveLength(1);
    const cursor = encodeURIComponent(page.body.nextCursor);
    expect((await h.call('GET', `/v1/tenants/acme/clusters?limit=1&phase=Pending&cursor=${cursor}`, { token: acme.tokens.viewer })).status).toBe(400);
    const next = await h.call('GET', `/v1/tenants/acme/clusters?limit=5&phase=Ready&cursor=${cursor}`, { token: acme.tokens.viewer });
    expect(next.body.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(['c-1', 'c-2']);
  });

  it('shows every cluster’s health in the list, as GET does', async () => {
    const r = await h.call('GET', '/v1/tenants/acme/clusters', { token: acme.tokens.viewer });
    const byName = Object.fromEntries(r.body.items.map((c: { metadata: { name: string }; status: unknown }) => [c.metadata.name, c.status]));
    for (const name of ['c-0', 'c-3']) {
      const one = await h.call('GET', `/v1/tenants/acme/clusters/${name}`, { token: acme.tokens.viewer });
      expect(byName[name]).toEqual(one.body.status);
    }
  });
});
