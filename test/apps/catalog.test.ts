import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desiredOf, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let eu: Awaited<ReturnType<typeof joinCluster>>;
let us: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  eu = await joinCluster(h, 'acme', 'eu-1', { region: 'eu' });
  us = await joinCluster(h, 'acme', 'us-1', { region: 'us' });
});
afterAll(() => h.close());

describe('the built-in catalog', () => {
  it('lists every template with a parameter schema, readable by any tenant’s viewer', async () => {
    const other = await seedTenant(h, 'globex');
    for (const token of [t.tokens.viewer, other.tokens.viewer]) {
      const r = await h.call('GET', '/v1/catalog/templates', { token });
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: any) => i.name).sort()).toEqual(['canary-web', 'cronjob', 'mysql', 'prometheus', 'redis', 'stream-mixer', 'web']);
      for (const item of r.body.items) expect(item.versions[0].parameters.type).toBe('object');
    }
    expect((await h.call('GET', '/v1/catalog/templates')).status).toBe(401);
  });

  it('deploys catalog web with an ingress per region: a wildcard domain in one, a custom host with TLS in the other', async () => {
    const spec = {
      template: { name: 'web', version: '1.0.0', catalog: true },
      namespace: 'site',
      values: { image: 'nginx:1.27', ingress: { enabled: true, wildcardDomain: 'apps.example.com' } },
      placement: { selector: { matchExpressions: [{ key: 'region', operator: 'Exists' }] } },
      overrides: [{ clusters: ['us-1'], values: { ingress: { host: 'shop.example.us', tlsSecretName: 'shop-tls' } } }],
    };
    const r = await putApp(h, 'acme', t.tokens.operator, 'shop', spec);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const ingressOf = async (credential: string) => (await desiredOf(h, credential)).objects.find((o) => o.kind === 'Ingress');
    const e = await ingressOf(eu.credential);
    const u = await ingressOf(us.credential);
    expect(e.spec.rules[0].host).toBe('shop.apps.example.com');
    expect(u.spec.rules[0].host).toBe('shop.example.us');
    expect(u.spec.tls[0]).toMatchObject({ secretName: 'shop-tls', hosts: ['shop.example.us'] });
    const kinds = (await desiredOf(h, eu.credential)).objects.map((o) => o.kind).sort();
    expect(kinds).toEqual(['Deployment', 'Ingress', 'Service']);
  });

  it('a catalog template’s schema is enforced like a tenant’s', async () => {
    const r = await putApp(h, 'acme', t.tokens.operator, 'db', {
      template: { name: 'mysql', version: '1.0.0', catalog: true }, namespace: 'db',
      values: { replicas: -1, bogus: true }, placement: { clusters: ['eu-1'] },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: any) => e.pointer)).toEqual(expect.arrayContaining(['/spec/values/replicas']));
  });
});
