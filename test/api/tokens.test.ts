import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let acme: SeededTenant;
beforeAll(async () => ({ h, tenant: acme } = await harnessWithTenant()));
afterAll(() => h.close());

const mint = (spec: unknown, headers: Record<string, string> = {}, token = acme.tokens.owner) =>
  h.call('POST', '/v1/tenants/acme/tokens', { token, body: { spec }, headers });

describe('API tokens', () => {
  it('shows the secret once, stores only its hash, and the token works with its role', async () => {
    const r = await mint({ role: 'operator', description: 'deploy bot' });
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
    const id = r.body.metadata.name;
    const got = await h.call('GET', `/v1/tenants/acme/tokens/${id}`, { token: acme.tokens.owner });
    expect(got.status).toBe(200);
    expect(got.body.token).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain(r.body.token);
    const stored = await h.db.execute(`select secret_hash from api_tokens where name = '${id}'` as never);
    const rows = (stored as unknown as { rows: { secret_hash: string }[] }).rows;
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.secret_hash).not.toContain(r.body.token.slice(3));
    expect((await h.call('GET', '/v1/tenants/acme', { token: r.body.token })).status).toBe(200);
    expect((await h.call('POST', '/v1/tenants/acme/tokens', { token: r.body.token, body: { spec: { role: 'viewer', description: '' } } })).status).toBe(403);
  });

  it('revocation takes effect on the very next request', async () => {
    const r = await mint({ role: 'viewer', description: 'short-lived' });
    expect((await h.call('GET', '/v1/tenants/acme', { token: r.body.token })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/tenants/acme/tokens/${r.body.metadata.name}`, { token: acme.tokens.owner })).status).toBe(204);
    const after = await h.call('GET', '/v1/tenants/acme', { token: r.body.token });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer');
    expect((await h.call('GET', `/v1/tenants/acme/tokens/${r.body.metadata.name}`, { token: acme.tokens.owner })).status).toBe(404);
  });

  it('an expiring token stops working after expiresInSeconds', async () => {
    const r = await mint({ role: 'viewer', description: 'ttl', expiresInSeconds: 120 });
    expect(r.body.spec).toEqual({ role: 'viewer', description: 'ttl', expiresInSeconds: 120 });
    expect(Date.parse(r.body.status.expiresAt)).toBeGreaterThan(h.clock.now().getTime() + 100_000);
    expect((await h.call('GET', '/v1/tenants/acme', { token: r.body.token })).status).toBe(200);
    h.clock.advance(121_000);
    expect((await h.call('GET', '/v1/tenants/acme', { token: r.body.token })).status).toBe(401);
  });

  it('Idempotency-Key: same body replays the first answer; another body is 422', async () => {
    const spec = { role: 'viewer', description: 'idem' };
    const first = await mint(spec, { 'idempotency-key': 'key-1' });
    const second = await mint(spec, { 'idempotency-key': 'key-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const other = await mint({ role: 'viewer', description: 'different' }, { 'idempotency-key': 'key-1' });
    expect(other.status).toBe(422);
    const tooLong = await mint(spec, { 'idempotency-key': 'k'.repeat(256) });
    expect(tooLong.status).toBe(400);
    // the key is the caller's own: another caller with the same key mints its own token
    const admin = await h.call('POST', '/v1/tenants/acme/tokens', { token: h.adminToken, body: { spec }, headers: { 'idempotency-key': 'key-1' } });
    expect(admin.status).toBe(201);
    expect(admin.body.metadata.name).not.toBe(first.body.metadata.name);
  });

  it('validates the spec, reporting every field', async () => {
    const r = await mint({ role: 'root', description: 5, expiresInSeconds: 1, foo: 1 });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(
      ['/spec/description', '/spec/expiresInSeconds', '/spec/foo', '/spec/role'],
    );
  });
});
