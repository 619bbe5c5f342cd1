import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('audit events', () => {
  it('records who did what with generations, newest first, paged', async () => {
    const acme = await seedTenant(h, 'acme'); // tenant.create + 4 token.create
    await h.call('PUT', '/v1/tenants/acme', { token: acme.tokens.owner, body: { spec: { displayName: 'renamed' } } });
    await h.call('PUT', '/v1/tenants/acme/members/zoe', { token: acme.tokens.owner, body: { spec: { role: 'viewer' } } });
    await h.call('DELETE', '/v1/tenants/acme/members/zoe', { token: acme.tokens.owner });

    const all = await h.call('GET', '/v1/tenants/acme/audit-events?limit=500', { token: acme.tokens.viewer });
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'member.delete', 'member.create', 'tenant.update',
      'token.create', 'token.create', 'token.create', 'token.create', 'tenant.create',
    ]);
    const [del, create, update] = all.body.items;
    expect(del).toMatchObject({ object: { kind: 'member', name: 'zoe' }, beforeGeneration: 1, afterGeneration: null });
    expect(create).toMatchObject({ beforeGeneration: null, afterGeneration: 1 });
    expect(update).toMatchObject({ beforeGeneration: 1, afterGeneration: 2, actor: { kind: 'token' } });
    expect(update.actor.id).toMatch(/^token:tok-/);

    const p1 = await h.call('GET', '/v1/tenants/acme/audit-events?limit=5', { token: acme.tokens.viewer });
    const p2 = await h.call('GET', `/v1/tenants/acme/audit-events?limit=5&cursor=${encodeURIComponent(p1.body.nextCursor)}`, { token: acme.tokens.viewer });
    expect([...p1.body.items, ...p2.body.items].map((e: { id: string }) => e.id)).toEqual(all.body.items.map((e: { id: string }) => e.id));
    expect(p2.body.nextCursor).toBeNull();
  });

  it("a tenant's events are its own, and a cursor cannot cross tenants", async () => {
    const globex = await seedTenant(h, 'globex');
    const mine = await h.call('GET', '/v1/tenants/globex/audit-events?limit=2', { token: globex.tokens.viewer });
    expect(mine.body.items.every((e: { object: { name: string } }) => e.object.name !== 'acme')).toBe(true);
    const foreign = await h.call('GET', `/v1/tenants/acme/audit-events?cursor=${encodeURIComponent(mine.body.nextCursor)}`, { token: h.adminToken });
    expect(foreign.status).toBe(400);
  });
});
