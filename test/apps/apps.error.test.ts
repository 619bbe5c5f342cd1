import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows.js';
import { appSpec, publishWebTemplate, putApp, WEB_VERSION } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  await joinCluster(h, 'acme', 'eu-1', { env: 'prod', region: 'eu' });
  await joinCluster(h, 'acme', 'us-1', { env: 'prod', region: 'us' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const count = async (table: string) =>
  Number(rowsOf<{ n: string }>(await h.db.execute(sql.raw(`select count(*) as n from ${table}`)))[0]!.n);
const stored = async () => ({ apps: await count('apps'), revisions: await count('app_revisions'), placements: await count('placements'), contents: await count('rendered_contents') });
const pointers = (body: any) => body.errors.map((e: any) => e.pointer).sort();

describe('apps: bad input is a 400 that lists every problem, and nothing is stored', () => {
  it('values that break the parameter schema: every error, each at its field', async () => {
    const before = await stored();
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({
      values: { replicas: 0, image: '', colour: 'red' },
      overrides: [{ clusters: ['eu-1'], values: { replicas: 'many' } }],
    }));
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(pointers(r.body)).toEqual(expect.arrayContaining(['/spec/values/replicas', '/spec/values/image', '/spec/overrides/0/values/replicas']));
    expect(r.body.errors.some((e: any) => /colour/.test(e.message) || e.pointer === '/spec/values/colour')).toBe(true);
    // the override is blamed for its own value only, not again for the app's
    expect(pointers(r.body).filter((p: string) => p.startsWith('/spec/overrides/0'))).toEqual(['/spec/overrides/0/values/replicas']);
    expect(await stored()).toEqual(before);
    expect((await h.call('GET', '/v1/tenants/acme/apps/bad', { token: t.tokens.viewer })).status).toBe(404);
  });

  it('an unknown template or version points at /spec/template', async () => {
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({ template: { name: 'web', version: '9.9.9' } }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].pointer).toBe('/spec/template');
    expect(r.body.errors[0].message).toMatch(/9\.9\.9/);
    const cat = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({ template: { name: 'no-such', version: '1.0.0', catalog: true } }));
    expect(cat.status).toBe(400);
    expect(cat.body.errors[0].message).toMatch(/catalog/);
  });

  it('a patch to a missing path, or to no object, names the cluster whose override breaks', async () => {
    const before = await stored();
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({
      overrides: [
        { clusters: ['us-1'], patches: [{ target: { kind: 'Deployment', name: 'bad' }, op: 'replace', path: '/spec/paused/deeper', value: true }] },
        { clusters: ['eu-1'], patches: [{ target: { kind: 'Service', name: 'nope' }, op: 'add', path: '/spec/x', value: 1 }] },
      ],
    }));
    expect(r.status).toBe(400);
    const messages = r.body.errors.map((e: any) => `${e.pointer} ${e.message}`).join('\n');
    expect(messages).toMatch(/\/spec\/overrides\/0\/patches\/0.*us-1/);
    expect(messages).toMatch(/\/spec\/overrides\/1\/patches\/0.*eu-1/);
    expect(await stored()).toEqual(before);
  });

  it('a template that does not render is a 400 naming the template and the cluster', async () => {
    await h.call('PUT', '/v1/tenants/acme/templates/broken', { token: t.tokens.operator, body: { spec: {} } });
    const v = await h.call('PUT', '/v1/tenants/acme/templates/broken/versions/0.1.0', {
      token: t.tokens.operator,
      body: { spec: { manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${values.missing.deeper}\n' } },
    });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({ template: { name: 'broken', version: '0.1.0' }, values: {} }));
    expect(r.status).toBe(400);
    const text = JSON.stringify(r.body.errors);
    expect(text).toMatch(/broken@0\.1\.0/);
    expect(text).toMatch(/eu-1|us-1/);
  });

  it('a render that does not give Kubernetes objects is refused', async () => {
    await h.call('PUT', '/v1/tenants/acme/templates/notk8s', { token: t.tokens.operator, body: { spec: {} } });
    await h.call('PUT', '/v1/tenants/acme/templates/notk8s/versions/1.0.0', {
      token: t.tokens.operator, body: { spec: { manifests: [{ hello: 'world' }] } },
    });
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', appSpec({ template: { name: 'notk8s', version: '1.0.0' }, values: {} }));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toMatch(/notk8s@1\.0\.0/);
  });

  it('the spec shape itself: every problem in one answer', async () => {
    const r = await putApp(h, 'acme', t.tokens.operator, 'bad', {
      template: { name: 'web' }, namespace: 'Not OK', placement: { selector: { matchExpressions: [{ key: 'env', operator: 'In' }] } },
      rollout: { strategy: 'Gradual' }, deletionPolicy: 'Never', surprise: 1,
    });
    expect(r.status).toBe(400);
    expect(pointers(r.body)).toEqual(expect.arrayContaining([
      '/spec/template/version', '/spec/namespace', '/spec/placement/selector/matchExpressions/0/values',
      '/spec/rollout/strategy', '/spec/deletionPolicy',
    ]));
    expect(r.body.errors.length).toBeGreaterThanOrEqual(6);
  });
});

describe('template versions: validated, limited and immutable', () => {
  const putVersion = (version: string, spec: unknown, template = 'web') =>
    h.call('PUT', `/v1/tenants/acme/templates/${template}/versions/${version}`, { token: t.tokens.operator, body: { spec } });

  it('the same content again is 200 and changes nothing; other content is 409', async () => {
    const first = await h.call('GET', '/v1/tenants/acme/templates/web/versions/1.0.0', { token: t.tokens.viewer });
    const again = await putVersion('1.0.0', WEB_VERSION);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const changed = await putVersion('1.0.0', { ...WEB_VERSION, manifests: [] });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('immutable');
  });

  it('a version must be semver, the schema a schema; a missing template is 404', async () => {
    const notSemver = await putVersion('v1', WEB_VERSION);
    expect(notSemver.status).toBe(400);
    const badSchema = await putVersion('2.0.0', { parameters: { type: 'object', properties: { replicas: { type: 'numberish' } } }, manifests: [] });
    expect(badSchema.status).toBe(400);
    expect(badSchema.body.errors[0].pointer).toMatch(/^\/spec\/parameters/);
    // a pattern that backtracks exponentially would let one tenant's values stall the server
    const stalling = await putVersion('2.0.0', { parameters: { type: 'object', properties: { host: { type: 'string', pattern: '^([a-z]+)*$' } } }, manifests: [] });
    expect(stalling.status).toBe(400);
    expect(stalling.body.errors).toEqual([expect.objectContaining({ pointer: '/spec/parameters/properties/host/pattern' })]);
    expect((await putVersion('1.0.0', WEB_VERSION, 'ghost')).status).toBe(404);
    expect((await h.call('GET', '/v1/tenants/acme/templates/web/versions/2.0.0', { token: t.tokens.viewer })).status).toBe(404);
  });

  it('manifests over 500 KiB are 413; over 1,000 objects 400; nothing stored', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(501 * 1024)}"\n`;
    const tooBig = await putVersion('3.0.0', { manifests: big });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.detail).toMatch(/500 KiB|512000|bytes/);
    const many = Array.from({ length: 1001 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } }));
    const tooMany = await putVersion('3.0.0', { manifests: many });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body.errors)).toMatch(/1,?000/);
    expect((await h.call('GET', '/v1/tenants/acme/templates/web/versions/3.0.0', { token: t.tokens.viewer })).status).toBe(404);
  });

  it('a template an app deploys cannot be deleted (409); once unused it can', async () => {
    expect((await putApp(h, 'acme', t.tokens.operator, 'user', appSpec())).status).toBe(201);
    const blocked = await h.call('DELETE', '/v1/tenants/acme/templates/web', { token: t.tokens.operator });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/user/);
    expect((await h.call('GET', '/v1/tenants/acme/templates/web/versions/1.0.0', { token: t.tokens.viewer })).status).toBe(200);
    expect((await h.call('DELETE', '/v1/tenants/acme/apps/user', { token: t.tokens.operator })).status).toBe(204);
    expect((await h.call('DELETE', '/v1/tenants/acme/templates/web', { token: t.tokens.operator })).status).toBe(204);
    expect((await h.call('GET', '/v1/tenants/acme/templates/web/versions/1.0.0', { token: t.tokens.viewer })).status).toBe(404);
  });
});
