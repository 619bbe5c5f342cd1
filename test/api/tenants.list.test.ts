import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 7; i++) {
    const labels = { env: i % 2 ? 'prod' : 'dev', ...(i < 3 ? { team: `t${i}` } : {}) };
    await h.call('PUT', `/v1/tenants/t-${i}`, { token: h.adminToken, body: { metadata: { labels }, spec: { displayName: `T${i}` } } });
  }
});
afterAll(() => h.close());

const list = (query: string) => h.call('GET', `/v1/tenants${query}`, { token: h.adminToken });
const names = (r: { body: { items: { metadata: { name: string } }[] } }) => r.body.items.map((t) => t.metadata.name);

describe('lists and cursors', () => {
  it('pages through every item exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...names(r));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['t-0', 't-1', 't-2', 't-3', 't-4', 't-5', 't-6']);
  });

  it('filters by equality- and set-based label selectors', async () => {
    expect(names(await list('?labelSelector=env%3Dprod'))).toEqual(['t-1', 't-3', 't-5']);
    expect(names(await list('?labelSelector=env!%3Dprod'))).toEqual(['t-0', 't-2', 't-4', 't-6']);
    expect(names(await list(`?labelSelector=${encodeURIComponent('team in (t0,t1),env=dev')}`))).toEqual(['t-0']);
    expect(names(await list(`?labelSelector=${encodeURIComponent('team notin (t0)')}`))).toEqual(['t-1', 't-2', 't-3', 't-4', 't-5', 't-6']);
    expect(names(await list('?labelSelector=team'))).toEqual(['t-0', 't-1', 't-2']);
    expect(names(await list(`?labelSelector=${encodeURIComponent('!team')}`))).toEqual(['t-3', 't-4', 't-5', 't-6']);
  });

  it('rejects a bad selector, a bad limit, a forged cursor and a cursor from another query', async () => {
    const bad = await list(`?labelSelector=${encodeURIComponent('env in (')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ pointer: '/labelSelector', in: 'query' });
    for (const limit of ['0', '-1', 'abc', '1.5']) expect((await list(`?limit=${limit}`)).status).toBe(400);

    const page = await list('?limit=2&labelSelector=env%3Ddev');
    const cursor = page.body.nextCursor as string;
    expect(cursor).toBeTruthy();
    const forged = cursor.replace(/^./, (ch) => (ch === 'e' ? 'f' : 'e'));
    expect((await list(`?limit=2&labelSelector=env%3Ddev&cursor=${encodeURIComponent(forged)}`)).status).toBe(400);
    expect((await list(`?limit=2&labelSelector=env%3Dprod&cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    expect((await list(`?limit=2&cursor=garbage`)).status).toBe(400);
    const next = await list(`?limit=2&labelSelector=env%3Ddev&cursor=${encodeURIComponent(cursor)}`);
    expect(names(next)).toEqual(['t-4', 't-6']);
  });

  it('clamps a limit over 500 instead of failing', async () => {
    const r = await list('?limit=100000');
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(7);
  });
});
