import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const put = (name: string, body: unknown, headers: Record<string, string> = {}) =>
  h.call('PUT', `/v1/tenants/${name}`, { token: h.adminToken, body, headers });

describe(`tenants (${process.env.FP_TEST_DB ?? 'pglite'})`, () => {
  it('creates with 201, reads back with an ETag, values exactly as written', async () => {
    const created = await put('acme', { metadata: { labels: { zone: 'eu', app: 'x' } }, spec: { displayName: 'Acme Corp' } });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'acme', generation: 1, labels: { zone: 'eu', app: 'x' } });
    expect(Object.keys(created.body.metadata.labels)).toEqual(['zone', 'app']);
    expect(created.headers.get('etag')).toBe(`"${created.body.metadata.resourceVersion}"`);

    const got = await h.call('GET', '/v1/tenants/acme', { token: h.adminToken });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.get('etag')).toBe(created.headers.get('etag'));
  });

  it('a PUT equal to what is stored changes nothing and writes no audit event', async () => {
    const before = await h.call('GET', '/v1/tenants/acme', { token: h.adminToken });
    const events = await h.call('GET', '/v1/tenants/acme/audit-events', { token: h.adminToken });
    const again = await put('acme', { metadata: { labels: { app: 'x', zone: 'eu' } }, spec: { displayName: 'Acme Corp' } });
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
    expect(again.body.metadata.generation).toBe(before.body.metadata.generation);
    const after = await h.call('GET', '/v1/tenants/acme/audit-events', { token: h.adminToken });
    expect(after.body.items).toHaveLength(events.body.items.length);
  });

  it('labels change the resourceVersion but not the generation; spec changes both', async () => {
    const v1 = await h.call('GET', '/v1/tenants/acme', { token: h.adminToken });
    const labels = await put('acme', { metadata: { labels: { zone: 'us' } }, spec: { displayName: 'Acme Corp' } });
    expect(labels.status).toBe(200);
    expect(labels.body.metadata.generation).toBe(v1.body.metadata.generation);
    expect(Number(labels.body.metadata.resourceVersion)).toBeGreaterThan(Number(v1.body.metadata.resourceVersion));
    const spec = await put('acme', { metadata: { labels: { zone: 'us' } }, spec: { displayName: 'Acme' } });
    expect(spec.body.metadata.generation).toBe(v1.body.metadata.generation + 1);
    expect(spec.body.metadata.uid).toBe(v1.body.metadata.uid);
    expect(spec.body.metadata.createdAt).toBe(v1.body.metadata.createdAt);
  });

  it('If-Match: current tag passes, stale tag is 412; If-None-Match: * on an existing one is 412', async () => {
    const cur = await h.call('GET', '/v1/tenants/acme', { token: h.adminToken });
    const etag = cur.headers.get('etag')!;
    const ok = await put('acme', { spec: { displayName: 'A1' } }, { 'if-match': etag });
    expect(ok.status).toBe(200);
    const stale = await put('acme', { spec: { displayName: 'A2' } }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const exists = await put('acme', { spec: { displayName: 'A3' } }, { 'if-none-match': '*' });
    expect(exists.status).toBe(412);
    const fresh = await put('brand-new', { spec: { displayName: 'B' } }, { 'if-none-match': '*' });
    expect(fresh.status).toBe(201);
    const missing = await put('not-there', { spec: { displayName: 'B' } }, { 'if-match': '"1"' });
    expect(missing.status).toBe(412);
    expect((await h.call('GET', '/v1/tenants/acme', { token: h.adminToken })).body.spec.displayName).toBe('A1');
  });

  it('GET with a current If-None-Match is 304', async () => {
    const cur = await h.call('GET', '/v1/tenants/acme', { token: h.adminToken });
    const r = await h.call('GET', '/v1/tenants/acme', { token: h.adminToken, headers: { 'if-none-match': cur.headers.get('etag')! } });
    expect(r.status).toBe(304);
  });

  it('delete: 204, then GET 404, then DELETE 404; a stale If-Match keeps it', async () => {
    await put('doomed', { spec: { displayName: 'D' } });
    const stale = await h.call('DELETE', '/v1/tenants/doomed', { token: h.adminToken, headers: { 'if-match': '"999999"' } });
    expect(stale.status).toBe(412);
    expect((await h.call('DELETE', '/v1/tenants/doomed', { token: h.adminToken })).status).toBe(204);
    expect((await h.call('GET', '/v1/tenants/doomed', { token: h.adminToken })).status).toBe(404);
    expect((await h.call('DELETE', '/v1/tenants/doomed', { token: h.adminToken })).status).toBe(404);
  });

  it('a re-created tenant never reuses a resourceVersion', async () => {
    const a = await put('phoenix', { spec: { displayName: 'P' } });
    await h.call('DELETE', '/v1/tenants/phoenix', { token: h.adminToken });
    const b = await put('phoenix', { spec: { displayName: 'P' } });
    expect(b.status).toBe(201);
    expect(b.body.metadata.resourceVersion).not.toBe(a.body.metadata.resourceVersion);
    expect(b.body.metadata.uid).not.toBe(a.body.metadata.uid);
  });
});
