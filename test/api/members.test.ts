import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let acme: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  h = await startHarness();
  acme = await seedTenant(h, 'acme');
  await seedTenant(h, 'globex');
});
afterAll(() => h.close());

const member = (subject: string, role: string, token = acme.tokens.owner) =>
  h.call('PUT', `/v1/tenants/acme/members/${encodeURIComponent(subject)}`, { token, body: { spec: { role } } });

describe('members', () => {
  it('an owner adds members; the OIDC user then acts with that role', async () => {
    expect((await member('alice@example.com', 'owner')).status).toBe(201);
    expect((await member('bob', 'viewer')).status).toBe(201);
    const bob = await h.oidc.sign('bob');
    expect((await h.call('GET', '/v1/tenants/acme', { token: bob })).status).toBe(200);
    const write = await h.call('PUT', '/v1/tenants/acme/members/carol', { token: bob, body: { spec: { role: 'viewer' } } });
    expect(write.status).toBe(403);
    // a user sees only the tenants they belong to
    const list = await h.call('GET', '/v1/tenants', { token: bob });
    expect(list.body.items.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['acme']);
    expect((await h.call('GET', '/v1/tenants/globex', { token: bob })).status).toBe(404);
  });

  it('a subject with special characters round-trips through the path', async () => {
    const r = await member('auth0|12345', 'operator');
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toBe('auth0|12345');
    const got = await h.call('GET', `/v1/tenants/acme/members/${encodeURIComponent('auth0|12345')}`, { token: acme.tokens.viewer });
    expect(got.body.spec).toEqual({ role: 'operator' });
  });

  it('changing a role bumps the generation; the list shows every member', async () => {
    const r = await member('bob', 'operator');
    expect(r.status).toBe(200);
    expect(r.body.metadata.generation).toBe(2);
    const list = await h.call('GET', '/v1/tenants/acme/members', { token: acme.tokens.viewer });
    expect(list.body.items.map((m: { metadata: { name: string } }) => m.metadata.name).sort()).toEqual(
      ['alice@example.com', 'auth0|12345', 'bob'],
    );
  });

  it('the last owner can be neither demoted nor removed', async () => {
    const demote = await member('alice@example.com', 'admin');
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('last_owner');
    expect((await h.call('DELETE', '/v1/tenants/acme/members/alice@example.com', { token: acme.tokens.owner })).status).toBe(409);
    await member('dave', 'owner');
    expect((await member('alice@example.com', 'admin')).status).toBe(200);
    expect((await h.call('DELETE', '/v1/tenants/acme/members/bob', { token: acme.tokens.owner })).status).toBe(204);
    expect((await h.call('GET', '/v1/tenants/acme', { token: await h.oidc.sign('bob') })).status).toBe(404);
  });

  it('rejects an invalid role and a subject with spaces, listing every problem', async () => {
    const r = await h.call('PUT', '/v1/tenants/acme/members/x', {
      token: acme.tokens.owner,
      body: { metadata: { labels: { 'bad key!': 'v' } }, spec: { role: 'god', extra: true } },
    });
    expect(r.status).toBe(400);
    const pointers = r.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/metadata/labels/bad key!', '/spec/extra', '/spec/role']);
    const spaced = await h.call('PUT', `/v1/tenants/acme/members/${encodeURIComponent('a b')}`, {
      token: acme.tokens.owner, body: { spec: { role: 'viewer' } },
    });
    expect(spaced.status).toBe(400);
    expect(spaced.body.errors[0]).toMatchObject({ in: 'path', pointer: '/subject' });
  });
});
