import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startLocalHarness, type LocalHarness, type SeededTenant } from '../support/harness.js';

let h: LocalHarness;
let acme: SeededTenant;
beforeAll(async () => {
  h = await startLocalHarness();
  acme = await seedTenant(h, 'acme');
  h.hosts.set('hooks.acme.example', ['93.184.215.14']);
});
afterAll(() => h.close());

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const path = (name: string, tenant = 'acme') => `/v1/tenants/${tenant}/webhooks/${name}`;
const put = (name: string, spec: unknown, token = acme.tokens.admin, headers: Record<string, string> = {}) =>
  h.call('PUT', path(name), { token, body: { spec }, headers });
const get = (name: string, token = acme.tokens.viewer) => h.call('GET', path(name), { token });

describe('webhooks: the resource', () => {
  it('a create without a secret generates one, shown in that answer only; GET and lists never show it', async () => {
    const created = await put('ops', { url: 'https://hooks.acme.example/in', events: ['ClusterPhaseChanged'] });
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual({ url: 'https://hooks.acme.example/in', events: ['ClusterPhaseChanged'], secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
    expect(created.body.status).toEqual({ deliveries: [] });
    expect(created.headers.get('etag')).toBe(`"${created.body.metadata.resourceVersion}"`);

    const read = await get('ops');
    expect(read.status).toBe(200);
    expect(read.body.spec).toEqual({ url: 'https://hooks.acme.example/in', events: ['ClusterPhaseChanged'] });
    expect(JSON.stringify(read.body)).not.toContain('whsec_');
    const listed = await h.call('GET', '/v1/tenants/acme/webhooks', { token: acme.tokens.viewer });
    expect(listed.body.items.map((w: { spec: unknown }) => w.spec)).toEqual([read.body.spec]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('a replace without a secret keeps it (same resource, nothing shown); the same spec again changes nothing', async () => {
    const before = await get('ops');
    const again = await put('ops', { url: 'https://hooks.acme.example/in', events: ['ClusterPhaseChanged'] });
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
    expect(again.body.spec).toEqual({ url: 'https://hooks.acme.example/in', events: ['ClusterPhaseChanged'] });
  });

  it('a written secret comes back as written to that PUT; a new secret is a new generation, the same one is not', async () => {
    const first = await put('rotated', { secret: SECRET, url: 'https://hooks.acme.example/r' });
    expect(first.status).toBe(201);
    expect(first.body.spec).toEqual({ secret: SECRET, url: 'https://hooks.acme.example/r' });
    const same = await put('rotated', { url: 'https://hooks.acme.example/r', secret: SECRET });
    expect(same.body.metadata.generation).toBe(1);
    expect(same.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const other = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    const rotated = await put('rotated', { url: 'https://hooks.acme.example/r', secret: other }, acme.tokens.admin, {
      'if-match': `"${first.body.metadata.resourceVersion}"`,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.metadata.generation).toBe(2);
    expect(rotated.body.spec.secret).toBe(other);
    expect((await get('rotated')).body.spec).toEqual({ url: 'https://hooks.acme.example/r' });
  });

  it('stale If-Match 412, If-None-Match: * on an existing one 412', async () => {
    const r = await put('rotated', { url: 'https://hooks.acme.example/x' }, acme.tokens.admin, { 'if-match': '"1"' });
    expect(r.status).toBe(412);
    const n = await put('rotated', { url: 'https://hooks.acme.example/x' }, acme.tokens.admin, { 'if-none-match': '*' });
    expect(n.status).toBe(412);
  });

  it('refuses bad specs, naming every problem', async () => {
    const r = await put('bad', { url: 'ftp://x.example/', events: ['not a reason'], secret: 'whsec_short', extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/spec/events/0', '/spec/extra', '/spec/secret', '/spec/url']);
    const creds = await put('bad', { url: 'https://user:pw@hooks.acme.example/' });
    expect(creds.status).toBe(400);
  });

  it('refuses loopback and private addresses at PUT, by literal, by name and by localhost (400 naming /spec/url)', async () => {
    h.hosts.set('loop.acme.example', ['93.184.215.14', '127.0.0.1']);
    for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://[::1]/', 'http://[fd00::1]/', 'http://localhost:3000/',
      'https://loop.acme.example/', 'http://2130706433/', 'http://[::ffff:192.168.1.1]/']) {
      const r = await put('private', { url });
      expect(r.status, url).toBe(400);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.body.errors).toEqual([{ pointer: '/spec/url', in: 'body', message: expect.stringMatching(/loopback or private.*FLEETPLANE_WEBHOOK_ALLOW_PRIVATE/) }]);
    }
    const meta = await put('private', { url: 'http://169.254.169.254/latest/meta-data/' });
    expect(meta.body.errors[0].message).toMatch(/link-local/);
    expect((await get('private')).status).toBe(404);
  });

  it('a name that does not resolve now is accepted (each delivery checks again)', async () => {
    const r = await put('later', { url: 'https://not-yet.acme.example/' });
    expect(r.status).toBe(201);
  });

  it('admin writes, viewer reads; another tenant’s webhook is 404 and its list does not show ours', async () => {
    expect((await put('ops', { url: 'https://hooks.acme.example/in' }, acme.tokens.operator)).status).toBe(403);
    expect((await h.call('DELETE', path('ops'), { token: acme.tokens.operator })).status).toBe(403);
    const globex = await seedTenant(h, 'globex');
    expect((await get('ops', globex.tokens.owner)).status).toBe(404);
    expect((await h.call('GET', path('ops', 'globex'), { token: globex.tokens.owner })).status).toBe(404);
    const theirs = await h.call('GET', '/v1/tenants/globex/webhooks', { token: globex.tokens.viewer });
    expect(theirs.body).toEqual({ items: [], nextCursor: null });
  });

  it('lists by name, paged with a cursor', async () => {
    const p1 = await h.call('GET', '/v1/tenants/acme/webhooks?limit=2', { token: acme.tokens.viewer });
    expect(p1.body.items.map((w: { metadata: { name: string } }) => w.metadata.name)).toEqual(['later', 'ops']);
    const p2 = await h.call('GET', `/v1/tenants/acme/webhooks?limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`, { token: acme.tokens.viewer });
    expect(p2.body.items.map((w: { metadata: { name: string } }) => w.metadata.name)).toEqual(['rotated']);
    expect(p2.body.nextCursor).toBeNull();
  });

  it('delete: 204, then 404; creates, updates and deletes are audit events', async () => {
    expect((await h.call('DELETE', path('later'), { token: acme.tokens.admin })).status).toBe(204);
    expect((await get('later')).status).toBe(404);
    expect((await h.call('DELETE', path('later'), { token: acme.tokens.admin })).status).toBe(404);
    const audit = await h.call('GET', '/v1/tenants/acme/audit-events', { token: acme.tokens.viewer });
    const actions = audit.body.items.filter((e: { object: { kind: string } }) => e.object.kind === 'webhook');
    expect(actions.map((e: { action: string; object: { name: string } }) => `${e.action} ${e.object.name}`)).toEqual([
      'webhook.delete later', 'webhook.create later', 'webhook.update rotated', 'webhook.create rotated', 'webhook.create ops',
    ]);
  });
});

describe('webhooks with FLEETPLANE_WEBHOOK_ALLOW_PRIVATE=true', () => {
  let local: LocalHarness;
  beforeAll(async () => {
    local = await startLocalHarness({ webhooks: { allowPrivate: true } });
    await seedTenant(local, 'acme');
  });
  afterAll(() => local.close());

  it('takes loopback and private addresses, never link-local ones', async () => {
    local.hosts.set('metadata.acme.example', ['169.254.169.254']);
    const call = (url: string) => local.call('PUT', '/v1/tenants/acme/webhooks/w', { token: local.adminToken, body: { spec: { url } } });
    expect((await call('http://127.0.0.1:9/')).status).toBe(201);
    expect((await call('http://10.0.0.1/')).status).toBe(200);
    for (const url of ['http://169.254.169.254/', 'http://metadata.acme.example/', 'http://[fe80::1]/', 'http://[::ffff:169.254.169.254]/']) {
      const r = await call(url);
      expect(r.status, url).toBe(400);
      expect(r.body.errors[0]).toMatchObject({ pointer: '/spec/url', message: expect.stringMatching(/link-local/) });
    }
  });
});
