import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishWebTemplate } from '../support/apps.js';
import { seedTenant, startLocalHarness, type LocalHarness, type SeededTenant } from '../support/harness.js';
import { page, post, signIn } from './support.js';

let h: LocalHarness;
let acme: SeededTenant;
const cookies = {} as Record<'owner' | 'admin' | 'viewer', string>;
beforeAll(async () => {
  h = await startLocalHarness();
  acme = await seedTenant(h, 'acme');
  h.hosts.set('hooks.example.test', ['93.184.216.34']);
  await publishWebTemplate(h, 'acme', acme.tokens.operator);
  for (const role of ['owner', 'admin', 'viewer'] as const) cookies[role] = await signIn(h, acme.tokens[role]);
});
afterAll(() => h.close());

describe('templates', () => {
  it('lists the tenant’s and the catalog’s, and shows a version’s parameters and manifests', async () => {
    const list = await page(h, cookies.viewer, '/console/t/acme/templates');
    expect(list.html).toContain('<caption>Templates</caption>');
    expect(list.html).toContain('<caption>Catalog</caption>');
    expect(list.html).toContain('href="/console/t/acme/templates/web"');
    expect(list.html).toContain('href="/console/t/acme/templates/catalog/redis"');
    const own = await page(h, cookies.viewer, '/console/t/acme/templates/web');
    expect(own.html).toContain('Version 1.0.0');
    expect(own.html).toContain('<caption>Parameters</caption>');
    expect(own.html).toContain('kind: Deployment');
    const cat = await page(h, cookies.viewer, '/console/t/acme/templates/catalog/web');
    expect(cat.html).toContain('<h1>web (catalog)</h1>');
    expect((await page(h, cookies.viewer, '/console/t/acme/templates/catalog/nope')).status).toBe(404);
  });
});

describe('webhooks', () => {
  it('creates one and shows its secret once, lists deliveries, deletes after a confirmation', async () => {
    const made = await post(h, cookies.admin, '/console/t/acme/webhooks', { name: 'ops', url: 'https://hooks.example.test/in', events: 'ClusterPhaseChanged' });
    expect(made.status).toBe(201);
    const secret = /<code id="webhook-secret" class="command">(whsec_[^<]+)<\/code>/.exec(made.html)?.[1];
    expect(secret).toBeTruthy();
    const again = await page(h, cookies.admin, '/console/t/acme/webhooks/ops');
    expect(again.html).toContain('<caption>Deliveries</caption>');
    expect(again.html).not.toContain(secret!);
    expect((await page(h, cookies.admin, '/console/t/acme/webhooks')).html).toContain('https://hooks.example.test/in');
    const bad = await post(h, cookies.admin, '/console/t/acme/webhooks', { name: 'ops', url: 'https://hooks.example.test/in', events: '' });
    expect(bad.status).toBe(409);
    expect(bad.html).toMatch(/id="hook-name-error" class="field-error">This name is taken\./);
    const viewer = await page(h, cookies.viewer, '/console/t/acme/webhooks/ops');
    expect(viewer.html).not.toContain('>Delete<');
    expect((await post(h, cookies.viewer, '/console/t/acme/webhooks/ops/delete', {})).status).toBe(403);
    expect((await page(h, cookies.admin, '/console/t/acme/webhooks/ops?confirm=delete')).html).toContain('>Confirm delete</button>');
    expect((await post(h, cookies.admin, '/console/t/acme/webhooks/ops/delete', {})).status).toBe(303);
    expect((await h.call('GET', '/v1/tenants/acme/webhooks/ops', { token: acme.tokens.admin })).status).toBe(404);
  });
});

describe('settings', () => {
  it('are for owners: members, tokens (a new one shown once, revoked after a confirmation), the audit log', async () => {
    const denied = await page(h, cookies.admin, '/console/t/acme/settings');
    expect(denied.status).toBe(403);
    expect(denied.html).toContain('Only the tenant’s owners');
    const res = await page(h, cookies.owner, '/console/t/acme/settings');
    for (const caption of ['Members', 'Tokens', 'Audit log']) expect(res.html).toContain(`<caption>${caption}</caption>`);
    const minted = await post(h, cookies.owner, '/console/t/acme/settings/tokens', { description: 'ci deploys', role: 'operator' });
    expect(minted.status).toBe(201);
    const token = /<code id="new-token" class="command">(fp_[^<]+)<\/code>/.exec(minted.html)?.[1];
    expect((await h.call('GET', '/v1/tenants/acme/apps', { token })).status).toBe(200);
    const after = await page(h, cookies.owner, '/console/t/acme/settings');
    expect(after.html).toContain('ci deploys');
    expect(after.html).not.toContain(token!);
    const id = /\?revoke=([^"]+)" aria-label="Revoke ci deploys"/.exec(after.html)![1]!;
    expect((await page(h, cookies.owner, `/console/t/acme/settings?revoke=${id}`)).html).toContain('>Confirm revoke</button>');
    expect((await post(h, cookies.owner, `/console/t/acme/settings/tokens/${id}/revoke`, {})).status).toBe(303);
    expect((await h.call('GET', '/v1/tenants/acme/apps', { token })).status).toBe(401);
    const member = await post(h, cookies.owner, '/console/t/acme/settings/members', { subject: 'alice@example.com', role: 'viewer' });
    expect(member.status).toBe(303);
    const audit = await page(h, cookies.owner, '/console/t/acme/settings');
    expect(audit.html).toContain('alice@example.com');
    expect(audit.html).toMatch(/<td>member\.\w+<\/td>/);
    expect((await post(h, cookies.admin, '/console/t/acme/settings/tokens', { description: 'sneaky', role: 'owner' })).status).toBe(403);
  });
});
