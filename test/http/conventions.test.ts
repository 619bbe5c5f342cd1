import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../worker/app.js';
import { seedTenant, startLocalHarness, type LocalHarness as Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startLocalHarness();
  await seedTenant(h, 'acme');
});
afterAll(() => h.close());

describe('HTTP conventions', () => {
  it('413 for a body over 1 MiB, and nothing is written', async () => {
    const big = { spec: { displayName: 'x'.repeat(MAX_BODY_BYTES) } };
    const r = await h.call('PUT', '/v1/tenants/huge', { token: h.adminToken, body: big });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect((await h.call('GET', '/v1/tenants/huge', { token: h.adminToken })).status).toBe(404);
  });

  it('405 with Allow for a method the path does not support', async () => {
    const r = await h.call('POST', '/v1/tenants/acme', { token: h.adminToken, body: {} });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('DELETE, GET, HEAD, PUT');
    const tokens = await h.call('PUT', '/v1/tenants/acme/tokens/abc', { token: h.adminToken, body: {} });
    expect(tokens.status).toBe(405);
    expect(tokens.headers.get('allow')).toBe('DELETE, GET, HEAD');
  });

  it('404 problem for an unknown path', async () => {
    const r = await h.call('GET', '/v1/nothing-here', { token: h.adminToken });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found' });
    expect(r.body.requestId).toBe(r.headers.get('x-request-id'));
  });

  it('a body that is not JSON is 400; one not declared as JSON is 415', async () => {
    const broken = await h.call('PUT', '/v1/tenants/acme', { token: h.adminToken, body: '{"spec": {' });
    expect(broken.status).toBe(400);
    expect(broken.body.status).toBe(400);
    const text = await h.call('PUT', '/v1/tenants/acme', {
      token: h.adminToken, body: '{"spec":{"displayName":"x"}}', headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect((await h.call('GET', '/v1/tenants/acme', { token: h.adminToken })).body.spec.displayName).toBe('acme');
  });

  it('problems never carry a stack trace', async () => {
    const r = await h.call('PUT', '/v1/tenants/acme', { token: h.adminToken, body: { spec: [] } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('/healthz, /readyz, /openapi.json and /docs answer without a token', async () => {
    expect((await h.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/readyz')).body).toEqual({ status: 'ok' });
    const spec = await h.call('GET', '/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    for (const path of ['/v1/tenants/{tenant}', '/v1/tenants/{tenant}/members/{subject}', '/v1/tenants/{tenant}/tokens', '/v1/tenants/{tenant}/audit-events']) {
      expect(spec.body.paths).toHaveProperty([path]);
    }
    expect(Object.keys(spec.body.paths['/v1/tenants/{tenant}']).sort()).toEqual(['delete', 'get', 'put']);
    const docs = await h.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });
});

describe('rate limit', () => {
  it('429 with Retry-After once a caller exceeds its rate; other callers are unaffected', async () => {
    const limited = await startLocalHarness({ rateLimit: 5 });
    try {
      const t = await seedTenant(limited, 'acme');
      const answers = [];
      for (let i = 0; i < 15; i++) answers.push(await limited.call('GET', '/v1/tenants/acme', { token: t.tokens.viewer }));
      const tooMany = answers.filter((a) => a.status === 429);
      expect(tooMany.length).toBeGreaterThan(0);
      expect(Number(tooMany[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.call('GET', '/v1/tenants/acme', { token: t.tokens.operator })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});


describe('read-only fields', () => {
  it('names each read-only field that was sent', async () => {
    const r = await h.call('PUT', '/v1/tenants/acme', {
      token: h.adminToken,
      body: { metadata: { uid: 'u', resourceVersion: '1' }, spec: { displayName: 'x' }, status: { phase: 'Active' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      { pointer: '/metadata/uid', in: 'body', message: 'is read-only' },
      { pointer: '/metadata/resourceVersion', in: 'body', message: 'is read-only' },
      { pointer: '/status', in: 'body', message: 'is read-only' },
    ]);
  });
});
