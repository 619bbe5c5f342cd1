import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signConnectorCredential } from '../../worker/auth/connector-credential.js';
import { generatePrivateJwk, loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { seedTenant, startLocalHarness, type LocalHarness as Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startLocalHarness();
  const acme = await seedTenant(h, 'acme');
  await h.call('PUT', '/v1/tenants/acme/members/erin', { token: acme.tokens.owner, body: { spec: { role: 'admin' } } });
});
afterAll(() => h.close());

describe('authentication', () => {
  it('follows an issuer key rotation: a new kid is fetched, a retired key stops working', async () => {
    const old = await h.oidc.sign('erin');
    expect((await h.call('GET', '/v1/tenants/acme', { token: old })).status).toBe(200);
    const fetchesBefore = h.oidc.fetches();
    await h.oidc.rotate();
    const fresh = await h.oidc.sign('erin');
    expect((await h.call('GET', '/v1/tenants/acme', { token: fresh })).status).toBe(200);
    expect(h.oidc.fetches()).toBeGreaterThan(fetchesBefore);
    expect((await h.call('GET', '/v1/tenants/acme', { token: old })).status).toBe(401);
  });

  it('a valid user JWT of someone who is no member sees no tenant', async () => {
    const stranger = await h.oidc.sign('mallory');
    expect((await h.call('GET', '/v1/tenants/acme', { token: stranger })).status).toBe(404);
    expect((await h.call('GET', '/v1/tenants', { token: stranger })).body.items).toEqual([]);
  });

  it('the platform admin sees every tenant; only it creates tenants', async () => {
    await seedTenant(h, 'globex');
    const all = await h.call('GET', '/v1/tenants', { token: h.adminToken });
    expect(all.body.items.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['acme', 'globex']);
    const byUser = await h.call('PUT', '/v1/tenants/newco', { token: await h.oidc.sign('erin'), body: { spec: { displayName: 'N' } } });
    expect(byUser.status).toBe(404);
    expect((await h.call('GET', '/v1/tenants/newco', { token: h.adminToken })).status).toBe(404);
  });

  it('publishes the key that verifies connector credentials; a credential from another key is 401', async () => {
    const jwks = await h.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: h.keys.kid });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const foreignKeys = await loadSigningKeys(JSON.stringify(await generatePrivateJwk()));
    const forged = await signConnectorCredential(foreignKeys, { sub: crypto.randomUUID(), tnt: crypto.randomUUID(), gen: 1 }, new Date());
    const r = await h.call('GET', '/v1/tenants', { token: forged.credential });
    expect(r.status).toBe(401);
  });

  it('rejects a header that is not "Bearer <token>"', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${h.adminToken} extra`, h.adminToken]) {
      const r = await h.app.request('/v1/tenants', { headers: { authorization } });
      expect(r.status, authorization).toBe(401);
    }
    const ok = await h.app.request('/v1/tenants', { headers: { authorization: `bearer ${h.adminToken}` } });
    expect(ok.status).toBe(200);
  });
});
