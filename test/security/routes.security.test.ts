import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signConnectorCredential } from '../../worker/auth/connector-credential.js';
import { base64url } from '../../worker/lib/crypto.js';
import { seedTenant, startLocalHarness, type LocalHarness as Harness } from '../support/harness.js';
import { APP_SPEC, BELOW, ROUTE_TABLE, VERSION_SPEC } from './route-table.js';

let h: Harness;
let globex: Awaited<ReturnType<typeof seedTenant>>;

/** A tenant with a member `member-1`, a cluster `cluster-1`, a webhook `webhook-1` and a spare token, so every path points at something real. */
async function fixture(name: string) {
  const t = await seedTenant(h, name);
  await h.call('PUT', `/v1/tenants/${name}/members/member-1`, { token: t.tokens.owner, body: { spec: { role: 'viewer' } } });
  await h.call('PUT', `/v1/tenants/${name}/clusters/cluster-1`, { token: t.tokens.admin, body: { spec: {} } });
  const spare = await h.call('POST', `/v1/tenants/${name}/tokens`, { token: t.tokens.owner, body: { spec: { role: 'viewer', description: 'spare' } } });
  const op = { token: t.tokens.operator };
  for (const template of ['template-1', 'base']) {
    await h.call('PUT', `/v1/tenants/${name}/templates/${template}`, { ...op, body: { spec: {} } });
    await h.call('PUT', `/v1/tenants/${name}/templates/${template}/versions/1.0.0`, { ...op, body: { spec: VERSION_SPEC } });
  }
  await h.call('PUT', `/v1/tenants/${name}/namespaces/namespace-1`, { ...op, body: { spec: { placement: { clusters: ['cluster-1'] } } } });
  await h.call('PUT', `/v1/tenants/${name}/webhooks/webhook-1`, { token: t.tokens.admin, body: { spec: { url: 'https://hooks.example.com/fleetplane' } } });
  const app = await h.call('PUT', `/v1/tenants/${name}/apps/app-1`, { ...op, body: { spec: APP_SPEC } });
  if (app.status !== 201) throw new Error(`fixture app: ${app.status} ${JSON.stringify(app.body)}`);
  return { ...t, tokenId: spare.body.metadata.name as string };
}

const fill = (path: string, tenant: string, tokenId: string) =>
  path.replace('{tenant}', tenant).replace('{subject}', 'member-1').replace('{id}', tokenId).replace('{cluster}', 'cluster-1')
    .replace('{template}', 'template-1').replace('{version}', '1.0.0').replace('{namespace}', 'namespace-1').replace('{app}', 'app-1')
    .replace('{webhook}', 'webhook-1');

const enc = (o: object) => base64url(new TextEncoder().encode(JSON.stringify(o)));

let routes: { key: string; method: string; path: string }[] = [];
let acme: Awaited<ReturnType<typeof fixture>>;

beforeAll(async () => {
  h = await startLocalHarness();
  acme = await fixture('acme');
  globex = await fixture('globex');
  routes = h.app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route' && d.route.path.startsWith('/v1/') && !d.route.path.startsWith('/v1/connector') && !d.route.path.startsWith('/v1/join')
      ? [{ key: `${d.route.method.toUpperCase()} ${d.route.path}`, method: d.route.method.toUpperCase(), path: d.route.path }]
      : [],
  );
});
afterAll(() => h.close());

describe('security suite over every tenant-API route', () => {
  it('knows every route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(19);
    for (const r of routes) expect(ROUTE_TABLE, `add ${r.key} to route-table.ts`).toHaveProperty([r.key]);
  });

  it('401 without a token and for malformed, expired, wrong-audience, alg:none and connector tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      none: undefined,
      garbage: 'not-a-token',
      malformed: 'abc.def.ghi',
      expired: await h.oidc.sign('member-1', { expSeconds: -3600 }),
      wrongAudience: await h.oidc.sign('member-1', { aud: 'someone-else' }),
      wrongIssuer: await h.oidc.sign('member-1', { iss: 'https://evil.example' }),
      algNone: `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'member-1', iss: h.oidc.issuer, aud: h.oidc.audience, exp: now + 600 })}.`,
      unknownApiToken: 'fp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      connector: (await signConnectorCredential(h.keys, { sub: crypto.randomUUID(), tnt: acme.uid, gen: 1 }, new Date())).credential,
    };
    for (const r of routes) {
      const c = ROUTE_TABLE[r.key]!;
      for (const [kind, token] of Object.entries(bad)) {
        const res = await h.call(r.method, fill(r.path, 'acme', acme.tokenId), { token, body: c.body });
        expect(res.status, `${r.key} with ${kind}`).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.body.status).toBe(401);
      }
    }
  });

  it('a role one below the required one gets 403; the required role succeeds', async () => {
    let i = 0;
    for (const r of routes) {
      const c = ROUTE_TABLE[r.key]!;
      const t = await fixture(`role-${i++}`);
      const path = fill(r.path, t.name, t.tokenId);
      const below = BELOW[c.role];
      if (below) {
        const res = await h.call(r.method, path, { token: t.tokens[below], body: c.body });
        expect(res.status, `${r.key} as ${below}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      const ok = await h.call(r.method, path, { token: t.tokens[c.role], body: c.body });
      if (c.ok) expect(ok.status, `${r.key} as ${c.role}: ${JSON.stringify(ok.body)}`).toBe(c.ok);
      else expect(ok.status, `${r.key} as ${c.role}: ${JSON.stringify(ok.body)}`).toBeLessThan(300);
    }
  });

  it('an OIDC user who is a viewer cannot write', async () => {
    const viewer = await h.oidc.sign('member-1');
    // every route that needs more than viewer writes (plan is a POST that only reads)
    for (const r of routes.filter((r) => ROUTE_TABLE[r.key]!.role !== 'viewer')) {
      const res = await h.call(r.method, fill(r.path, 'acme', acme.tokenId), { token: viewer, body: ROUTE_TABLE[r.key]!.body });
      expect(res.status, r.key).toBe(403);
    }
  });

  it('invalid bodies are 400 with every problem listed', async () => {
    for (const r of routes.filter((r) => ROUTE_TABLE[r.key]!.invalid)) {
      const res = await h.call(r.method, fill(r.path, 'acme', acme.tokenId), { token: acme.tokens.owner, body: ROUTE_TABLE[r.key]!.invalid });
      expect(res.status, r.key).toBe(400);
      expect(res.body.errors.length, r.key).toBeGreaterThanOrEqual(2);
      const notJson = await h.call(r.method, fill(r.path, 'acme', acme.tokenId), { token: acme.tokens.owner, body: '{"spec":' });
      expect(notJson.status, `${r.key} with broken JSON`).toBe(400);
      expect(notJson.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it("another tenant's resources answer exactly like missing ones (404, same body)", async () => {
    const tenantRoutes = routes.filter((r) => r.path.includes('{tenant}'));
    const call = (r: (typeof routes)[number]) =>
      h.call(r.method, fill(r.path, 'acme', acme.tokenId), { token: globex.tokens.owner, body: ROUTE_TABLE[r.key]!.body });
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    const foreign = [];
    for (const r of tenantRoutes) {
      const res = await call(r);
      expect(res.status, r.key).toBe(404);
      foreign.push(strip(res.body));
    }
    expect((await h.call('DELETE', '/v1/tenants/acme', { token: h.adminToken })).status).toBe(204);
    for (const [i, r] of tenantRoutes.entries()) {
      const res = await call(r);
      expect(res.status, r.key).toBe(404);
      expect(strip(res.body), r.key).toEqual(foreign[i]);
    }
  });
});
