import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);

function call(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return exports.default.fetch(`https://fleetplane.test${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('worker in workerd, Neon driver to the real Postgres', () => {
  it('GET /healthz is 200 ok', async () => {
    const res = await call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 (the database answers)', async () => {
    const res = await call('GET', '/readyz');
    expect(res.status, await res.clone().text()).toBe(200);
    await res.arrayBuffer();
  });

  it('creates a tenant (201) and reads it back with the same uid and its ETag', async () => {
    const name = `wd-${Date.now().toString(36)}`;
    const created = await call('PUT', `/v1/tenants/${name}`, adminToken, { spec: { displayName: 'Workerd Co' } });
    const createdBody = (await created.json()) as { metadata: { uid: string; name: string } };
    expect(created.status, JSON.stringify(createdBody)).toBe(201);
    expect(createdBody.metadata.name).toBe(name);

    const got = await call('GET', `/v1/tenants/${name}`, adminToken);
    expect(got.status).toBe(200);
    const gotBody = (await got.json()) as { metadata: { uid: string; resourceVersion: string }; spec: unknown };
    expect(gotBody.metadata.uid).toBe(createdBody.metadata.uid);
    expect(gotBody.spec).toEqual({ displayName: 'Workerd Co' });
    expect(got.headers.get('etag')).toBe(`"${gotBody.metadata.resourceVersion}"`);
  });

  it('a tenant route without a token is 401 problem+json', async () => {
    const res = await call('GET', '/v1/tenants');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { status: number }).status).toBe(401);
  });

  it('a wrong admin token is 401', async () => {
    const wrong = `fp_${'x'.repeat(43)}`;
    expect(wrong).not.toBe(adminToken);
    const res = await call('GET', '/v1/tenants', wrong);
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});
