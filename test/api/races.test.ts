import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let acme: SeededTenant;
beforeAll(async () => ({ h, tenant: acme } = await harnessWithTenant()));
afterAll(() => h.close());

describe(`races (${process.env.FP_TEST_DB ?? 'pglite'})`, () => {
  it('two PUTs with one If-Match: one 200, one 412', async () => {
    for (let round = 0; round < 5; round++) {
      const cur = await h.call('GET', '/v1/tenants/acme', { token: acme.tokens.owner });
      const etag = cur.headers.get('etag')!;
      const [a, b] = await Promise.all(
        ['left', 'right'].map((side) =>
          h.call('PUT', '/v1/tenants/acme', {
            token: acme.tokens.owner, headers: { 'if-match': etag }, body: { spec: { displayName: `${side}-${round}` } },
          }),
        ),
      );
      expect([a!.status, b!.status].sort()).toEqual([200, 412]);
      const winner = a!.status === 200 ? a! : b!;
      const now = await h.call('GET', '/v1/tenants/acme', { token: acme.tokens.owner });
      expect(now.body.spec.displayName).toBe(winner.body.spec.displayName);
      expect(now.body.metadata.generation).toBe(cur.body.metadata.generation + 1);
    }
  });

  it('two concurrent creates of one name: one 201, the other replaces it (200)', async () => {
    const results = await Promise.all(
      [1, 2].map((n) => h.call('PUT', '/v1/tenants/acme/members/racer', { token: acme.tokens.owner, body: { spec: { role: n === 1 ? 'viewer' : 'operator' } } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
  });

  it('two POSTs with one Idempotency-Key: one token is created and both callers get its answer', async () => {
    const before = await h.call('GET', '/v1/tenants/acme/tokens?limit=500', { token: acme.tokens.owner });
    const post = () =>
      h.call('POST', '/v1/tenants/acme/tokens', {
        token: acme.tokens.owner, headers: { 'idempotency-key': 'race-1' }, body: { spec: { role: 'viewer', description: 'race' } },
      });
    const answers = await Promise.all([post(), post()]);
    // the loser either saw the finished first answer or was told the first is still running
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const retry = await post();
    expect(retry.status).toBe(201);
    for (const a of [...created, retry]) expect(a.body).toEqual(created[0]!.body);
    const after = await h.call('GET', '/v1/tenants/acme/tokens?limit=500', { token: acme.tokens.owner });
    expect(after.body.items.length).toBe(before.body.items.length + 1);
    const busy = answers.find((a) => a.status === 409);
    if (busy) expect(busy.headers.get('retry-after')).toBe('1');
  });
});
