import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';
import { expectWaiting, heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
let c: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  h = await startHarness();
  await seedTenant(h, 'acme');
  c = await joinCluster(h, 'acme', 'w', { env: 'a' });
});
afterAll(() => h.close());

const relabel = (value: string) =>
  h.call('PUT', '/v1/tenants/acme/clusters/w', { token: h.adminToken, body: { metadata: { labels: { env: value } }, spec: {} } });
const watch = (revision: number, timeoutSeconds = 10, requestId = 'watch-1') =>
  h.call('GET', `/v1/connector/watch?revision=${revision}&timeoutSeconds=${timeoutSeconds}`, {
    token: c.credential, headers: { 'x-request-id': requestId },
  });
const desired = async () => (await heartbeat(h, c.credential)).body.desiredRevision as number;

describe('push: watch and desired state', () => {
  it('a waiting watch returns within 1 s of a change to the desired revision', async () => {
    const rev = await desired();
    const started = performance.now();
    const waiting = watch(rev);
    await new Promise((r) => setTimeout(r, 200));
    expectWaiting(h, 1);
    const changedAt = performance.now();
    expect((await relabel('b')).status).toBe(200);
    const woke = await waiting;
    const latency = performance.now() - changedAt;
    expect(woke.status).toBe(200);
    expect(woke.body.revision).toBeGreaterThan(rev);
    expect(woke.body.revision).toBe(await desired());
    // answered after a wait: still with the request's id and as JSON
    expect(woke.headers.get('x-request-id')).toBe('watch-1');
    expect(woke.headers.get('content-type')).toMatch(/^application\/json/);
    expect(latency).toBeLessThan(1000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expectWaiting(h, 0);
  });

  it('answers at once when the revision is already ahead, and after the timeout when nothing changed', async () => {
    const rev = await desired();
    const ahead = await watch(rev - 1);
    expect(ahead.body.revision).toBe(rev);
    const t = performance.now();
    const idle = await watch(rev, 1, 'watch-idle');
    expect(idle.status).toBe(200);
    expect(idle.headers.get('x-request-id')).toBe('watch-idle');
    expect(idle.body.revision).toBe(rev);
    expect(performance.now() - t).toBeGreaterThanOrEqual(900);
    expectWaiting(h, 0);
  });

  it('a spec-only change does not move the desired revision; labels do', async () => {
    const rev = await desired();
    await h.call('PUT', '/v1/tenants/acme/clusters/w', { token: h.adminToken, body: { metadata: { labels: { env: 'b' } }, spec: { description: 'x' } } });
    expect(await desired()).toBe(rev);
    await relabel('c');
    expect(await desired()).toBeGreaterThan(rev);
  });

  it('desired-state carries the revision as ETag and answers 304 while it is current', async () => {
    const first = await h.call('GET', '/v1/connector/desired-state', { token: c.credential });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ revision: await desired(), objects: [], apps: [] });
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${first.body.revision}"`);
    expect((await h.call('GET', '/v1/connector/desired-state', { token: c.credential, headers: { 'if-none-match': etag } })).status).toBe(304);
    await relabel('d');
    const moved = await h.call('GET', '/v1/connector/desired-state', { token: c.credential, headers: { 'if-none-match': etag } });
    expect(moved.status).toBe(200);
    expect(moved.body.revision).toBeGreaterThan(first.body.revision);
  });

  it('revoking the credential ends a waiting watch at once, with 401', async () => {
    const other = await joinCluster(h, 'acme', 'w2');
    const rev = (await heartbeat(h, other.credential)).body.desiredRevision;
    const waiting = h.call('GET', `/v1/connector/watch?revision=${rev}&timeoutSeconds=20`, {
      token: other.credential, headers: { 'x-request-id': 'watch-revoked' },
    });
    await new Promise((r) => setTimeout(r, 100));
    const t = performance.now();
    expect((await h.call('POST', '/v1/tenants/acme/clusters/w2/revoke', { token: h.adminToken })).status).toBe(200);
    const ended = await waiting;
    expect(ended.status).toBe(401);
    expect(ended.headers.get('content-type')).toBe('application/problem+json');
    expect(ended.headers.get('x-request-id')).toBe('watch-revoked');
    expect(ended.body).toMatchObject({ status: 401, code: 'unauthorized', requestId: 'watch-revoked' });
    expect(performance.now() - t).toBeLessThan(1000);
    expectWaiting(h, 0);
  });

  it('rejects a bad revision or timeout', async () => {
    for (const q of ['revision=-1', 'revision=abc', '', 'revision=1&timeoutSeconds=x']) {
      const r = await h.call('GET', `/v1/connector/watch?${q}`, { token: c.credential });
      expect(r.status, q).toBe(400);
    }
  });
});
