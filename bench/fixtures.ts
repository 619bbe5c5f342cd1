/** The data the measured request reads: one tenant and a viewer API token for it. */

export interface Fixture {
  path: string;
  headers: Record<string, string>;
}

export async function call(baseUrl: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text };
}

export async function expectStatus(want: number, what: string, p: ReturnType<typeof call>) {
  const { status, text } = await p;
  if (status !== want) throw new Error(`${what}: expected ${want}, got ${status}: ${text.slice(0, 300)}`);
  return text;
}

export async function seedTenant(baseUrl: string, adminToken: string, tenant = 'bench'): Promise<Fixture> {
  await expectStatus(201, `PUT /v1/tenants/${tenant}`,
    call(baseUrl, 'PUT', `/v1/tenants/${tenant}`, adminToken, { spec: { displayName: 'Bench' } }));
  const minted = await expectStatus(201, `POST /v1/tenants/${tenant}/tokens`,
    call(baseUrl, 'POST', `/v1/tenants/${tenant}/tokens`, adminToken, { spec: { role: 'viewer', description: 'bench' } }));
  const token = (JSON.parse(minted) as { token?: unknown }).token;
  if (typeof token !== 'string') throw new Error(`POST /v1/tenants/${tenant}/tokens: no token in ${minted.slice(0, 300)}`);
  const path = `/v1/tenants/${tenant}`;
  await expectStatus(200, `GET ${path} with the viewer token`, call(baseUrl, 'GET', path, token));
  return { path, headers: { authorization: `Bearer ${token}` } };
}
