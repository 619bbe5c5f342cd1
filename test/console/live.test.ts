import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startLocalHarness, type LocalHarness, type SeededTenant } from '../support/harness.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { openLiveFeed, ORIGIN, page, signIn } from './support.js';

let h: LocalHarness;
let acme: SeededTenant;
let cookie: string;
beforeAll(async () => {
  h = await startLocalHarness();
  acme = await seedTenant(h, 'acme');
  await seedTenant(h, 'globex');
  cookie = await signIn(h, acme.tokens.viewer);
});
afterAll(() => h.close());

const openFeed = (tenant = 'acme') => openLiveFeed((url, init) => h.fetch(url, init), `${ORIGIN}/console/t/${tenant}/live`, cookie);
const settle = (ms = 700) => new Promise((r) => setTimeout(r, ms));

describe('the console’s live feed', () => {
  it('is an event stream for signed-in members of the tenant only', async () => {
    const feed = await openFeed();
    expect(feed.res.status).toBe(200);
    expect(feed.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(feed.res.headers.get('content-security-policy')).toContain("default-src 'self'");
    await feed.close();
    expect((await page(h, '', '/console/t/acme/live')).status).toBe(303);
    expect((await page(h, cookie, '/console/t/globex/live')).status).toBe(404);
  });

  it('tells a tab when a cluster first heartbeats, when a status report arrives, and only about its own tenant', async () => {
    const feed = await openFeed();
    const { credential } = await joinCluster(h, 'acme', 'edge-1');
    await settle();
    expect(feed.events).toContain('Cluster'); // created through the API, then registered
    feed.events.length = 0;

    await heartbeat(h, credential);
    await settle();
    expect(feed.events).toEqual(expect.arrayContaining(['Cluster', 'App'])); // Pending → Ready
    feed.events.length = 0;

    // a heartbeat that changes no phase says nothing
    await heartbeat(h, credential);
    await settle();
    expect(feed.events).toEqual([]);

    const report = await h.call('PUT', '/v1/connector/status', { token: credential, body: { seq: 1, revision: 0, apps: [] } });
    expect(report.status).toBe(204);
    await settle();
    expect(feed.events).toEqual(['App']);
    feed.events.length = 0;

    // another tenant's changes never reach this tab
    await joinCluster(h, 'globex', 'edge-9');
    await settle();
    expect(feed.events).toEqual([]);
    await feed.close();
  });

  it('coalesces a burst into one message per kind, and lets go of the tab when it closes', async () => {
    const feed = await openFeed();
    expect(h.push.feeds.size).toBe(1);
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      h.call('PUT', `/v1/tenants/acme/clusters/burst-${i}`, { token: acme.tokens.admin, body: { metadata: { labels: {} }, spec: {} } })));
    await settle();
    expect(feed.events.filter((e) => e === 'Cluster').length).toBeLessThanOrEqual(3);
    expect(feed.events.filter((e) => e === 'Cluster').length).toBeGreaterThanOrEqual(1);
    await feed.close();
    await settle(100);
    expect(h.push.feeds.size).toBe(0);
  });
});
