import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { page, post, signIn } from './support.js';

let h: Harness;
let acme: SeededTenant;
const cookies = {} as Record<'operator' | 'viewer', string>;
beforeAll(async () => {
  ({ h, tenant: acme } = await harnessWithTenant('acme'));
  for (const name of ['eu-1', 'us-1']) await heartbeat(h, (await joinCluster(h, 'acme', name, { env: 'prod' })).credential);
  await joinCluster(h, 'acme', 'lab-1', { env: 'dev' });
  cookies.operator = await signIn(h, acme.tokens.operator);
  cookies.viewer = await signIn(h, acme.tokens.viewer);
});
afterAll(() => h.close());

const form = (over: Record<string, string> = {}) => ({
  template: 'catalog/web', version: '1.0.0', name: 'shop', namespace: 'shop', placement: 'env=prod',
  'values.replicas': '3', booleans: 'values.readOnlyRootFilesystem', 'values.readOnlyRootFilesystem': 'true',
  'override.0.clusters': 'us-1', 'override.0.selector': '', 'override.0.values': 'replicas: 5', ...over,
});

describe('the deploy form', () => {
  it('is generated from the template’s JSON Schema, with the placement’s count', async () => {
    const res = await page(h, cookies.operator, '/console/t/acme/apps/new');
    expect(res.status).toBe(200);
    expect(res.html).toContain('<option value="catalog/web" selected="">web (catalog)</option>');
    expect(res.html).toMatch(/<label for="param-replicas">replicas<\/label><input type="number" id="param-replicas" name="values.replicas" value="2" min="0" max="100" step="1"/);
    expect(res.html).toMatch(/<input type="checkbox" id="param-readOnlyRootFilesystem"[^>]*checked=""/);
    expect(res.html).toContain('<legend>ingress</legend>');
    expect(res.html).toContain('Selects 3 clusters now.');
    const count = await page(h, cookies.operator, '/console/t/acme/apps/new/count?placement=env%3Dprod');
    expect(count.html).toBe('Selects 2 clusters now.');
  });

  it('plans per cluster with a diff, then deploys with the override, and goes to the app', async () => {
    const plan = await post(h, cookies.operator, '/console/t/acme/apps/new', form({ intent: 'plan' }));
    expect(plan.status).toBe(200);
    expect(plan.html).toContain('<caption>Plan</caption>');
    expect(plan.html).toContain('2 clusters: 2 create, 0 update, 0 delete, 0 none.');
    expect(plan.html).toMatch(/<span class="add">\+\s+replicas: 5\n<\/span>/);
    expect(plan.html).toContain('value="us-1"'); // the form keeps what was typed
    expect((await h.call('GET', '/v1/tenants/acme/apps/shop', { token: acme.tokens.viewer })).status).toBe(404);

    const deployed = await post(h, cookies.operator, '/console/t/acme/apps/new', form({ intent: 'deploy' }));
    expect(deployed.status).toBe(303);
    expect(deployed.headers.get('location')).toBe('/console/t/acme/apps/shop');
    const app = await h.call('GET', '/v1/tenants/acme/apps/shop', { token: acme.tokens.viewer });
    expect(app.body.spec).toMatchObject({
      template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', values: { replicas: 3 },
      placement: { selector: { matchLabels: { env: 'prod' } } }, overrides: [{ clusters: ['us-1'], values: { replicas: 5 } }],
    });
  });

  it('shows errors beside their fields, keeps the values, and never overwrites an app of the same name', async () => {
    const bad = await post(h, cookies.operator, '/console/t/acme/apps/new', form({ intent: 'deploy', name: 'cart', 'values.replicas': '-1', 'override.0.values': 'replicas: [' }));
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/id="param-replicas-error" class="field-error">[^<]*0/);
    expect(bad.html).toMatch(/id="ov-0-values-error" class="field-error">not YAML/);
    expect(bad.html).toContain('value="-1"');
    const taken = await post(h, cookies.operator, '/console/t/acme/apps/new', form({ intent: 'deploy' }));
    expect(taken.status).toBe(409);
    expect(taken.html).toMatch(/id="deploy-name-error" class="field-error">This name is taken\./);
  });

  it('edits the current spec: the form filled, Deploy with If-Match', async () => {
    const edit = await page(h, cookies.operator, '/console/t/acme/apps/shop/edit');
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('<h1>Edit shop</h1>');
    expect(edit.html).toMatch(/name="values.replicas" value="3"/);
    expect(edit.html).toContain('value="env=prod"');
    expect(edit.html).toContain('replicas: 5');
    const etag = /name="etag" value="([^"]+)"/.exec(edit.html)![1]!.replace(/&quot;/g, '"');
    const saved = await post(h, cookies.operator, '/console/t/acme/apps/shop/edit', form({ intent: 'deploy', etag, 'values.replicas': '4' }));
    expect(saved.status).toBe(303);
    expect((await h.call('GET', '/v1/tenants/acme/apps/shop', { token: acme.tokens.viewer })).body).toMatchObject({ metadata: { generation: 2 }, spec: { values: { replicas: 4 } } });
    // the same stale ETag again: someone changed it meanwhile
    const stale = await post(h, cookies.operator, '/console/t/acme/apps/shop/edit', form({ intent: 'deploy', etag, 'values.replicas': '6' }));
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('changed meanwhile');
  });

  it('gives a viewer no Plan or Deploy, and refuses its forged POST', async () => {
    const res = await page(h, cookies.viewer, '/console/t/acme/apps/new');
    expect(res.html).not.toContain('value="deploy"');
    expect(res.html).toContain('Deploying needs the operator role');
    const forged = await post(h, cookies.viewer, '/console/t/acme/apps/new', form({ intent: 'deploy', name: 'sneaky' }));
    expect(forged.status).toBe(403);
    expect((await h.call('GET', '/v1/tenants/acme/apps/sneaky', { token: acme.tokens.viewer })).status).toBe(404);
  });
});
