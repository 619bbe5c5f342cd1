/** Input limits of API.md's Conventions: JSON depth, label count and rules, overrides and waves; each a 400 listing every problem, nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { appSpec, publishWebTemplate, putApp, tenantPath } from '../support/apps.js';

let h: Harness;
const T = tenantPath('acme');
const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let k = 0; k < depth; k++) v = k % 2 ? [v] : { d: v };
  return v;
};
const messages = (body: { errors?: { message: string }[] }) => (body.errors ?? []).map((e) => e.message);

beforeAll(async () => {
  h = await startHarness();
  await h.call('PUT', T, { token: h.adminToken, body: { spec: { displayName: 'Acme' } } });
  await publishWebTemplate(h, 'acme', h.adminToken);
});
afterAll(() => h.close());

describe('JSON depth', () => {
  it('a body nested 64 levels is read; 65 is a 400 pointing where it went too deep, and nothing is stored', async () => {
    // the body's own object is level 1, metadata 2, labels would be 3: nest under spec.description's sibling, an unknown key
    const ok = await h.call('PUT', `${T}/apps/deep`, { token: h.adminToken, body: { spec: appSpec({ values: { x: nested(59) } }) } });
    expect(ok.status).not.toBe(500);
    expect(messages(ok.body).join()).not.toMatch(/nested deeper/);
    const r = await h.call('PUT', `${T}/apps/deeper`, { token: h.adminToken, body: { spec: appSpec({ values: { x: nested(100) } }) } });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].message).toMatch(/deeper than 64/);
    expect(r.body.errors[0].pointer).toMatch(/^\/spec\/values\/x\/(0\/d\/)+/);
    expect(r.body.errors[0].pointer.split('/')).toHaveLength(65);
    expect((await h.call('GET', `${T}/apps/deeper`, { token: h.adminToken })).status).toBe(404);
  });

  it('5,000 nested arrays in values are a 400, not a stack overflow', async () => {
    const values = `{"deep":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const body = `{"spec":{"template":{"name":"web","version":"1.0.0"},"namespace":"x","values":${values},"placement":{"clusters":["eu-1"]}}}`;
    const r = await h.call('PUT', `${T}/apps/abyss`, { token: h.adminToken, body });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/64/);
  });

  it('holds on every JSON route, the connector protocol included', async () => {
    const r = await h.call('POST', '/v1/connector/register', { body: { joinToken: 'x', cluster: nested(80) } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/deeper than 64/);
  });
});

describe('labels', () => {
  const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, k) => [`l${k}`, 'v']));

  it('64 labels are kept; 3,000 are a 400 naming the limit', async () => {
    expect((await h.call('PUT', `${T}/clusters/c64`, { token: h.adminToken, body: { metadata: { labels: labels(64) }, spec: {} } })).status).toBe(201);
    const r = await h.call('PUT', `${T}/clusters/c3000`, { token: h.adminToken, body: { metadata: { labels: labels(3_000) }, spec: {} } });
    expect(r.status).toBe(400);
    expect(messages(r.body)).toContain('3000 labels; at most 64 are allowed');
    expect((await h.call('GET', `${T}/clusters/c3000`, { token: h.adminToken })).status).toBe(404);
  });

  it('too many labels and bad keys and values are all listed', async () => {
    const bad = { ...labels(70), 'not a key!': 'v', ok: 'not a value!' };
    const r = await h.call('PUT', `${T}/clusters/cbad`, { token: h.adminToken, body: { metadata: { labels: bad }, spec: {} } });
    expect(r.status).toBe(400);
    const all = JSON.stringify(r.body.errors);
    expect(all).toMatch(/72 labels; at most 64/);
    expect(all).toMatch(/not a key!/);
    expect(all).toMatch(/label values are/);
  });

  it('the same limit holds for a federated namespace\'s labels and for a selector\'s matchLabels', async () => {
    const ns = await h.call('PUT', `${T}/namespaces/shop`, { token: h.adminToken, body: { spec: { placement: { clusters: [] }, labels: labels(65) } } });
    expect(ns.status).toBe(400);
    expect(messages(ns.body)).toContain('65 labels; at most 64 are allowed');
    const app = await putApp(h, 'acme', h.adminToken, 'sel', appSpec({ placement: { selector: { matchLabels: labels(65) } } }));
    expect(app.status).toBe(400);
    expect(messages(app.body)).toContain('65 labels; at most 64 are allowed');
  });
});

describe('overrides and waves', () => {
  const override = { clusters: ['eu-1'], values: { replicas: 2 } };
  it('100 overrides are accepted, 101 are a 400 at /spec/overrides, listed with other problems', async () => {
    expect((await putApp(h, 'acme', h.adminToken, 'o100', appSpec({ overrides: Array(100).fill(override) }))).status).toBe(201);
    const r = await putApp(h, 'acme', h.adminToken, 'o101', appSpec({ overrides: Array(101).fill(override), namespace: 'Not A Label' }));
    expect(r.status).toBe(400);
    const pointers = r.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toContain('/spec/overrides');
    expect(pointers).toContain('/spec/namespace');
    expect(JSON.stringify(r.body.errors)).toMatch(/100/);
  });

  it('more than 20 waves are a 400 at /spec/rollout/waves', async () => {
    const r = await putApp(h, 'acme', h.adminToken, 'w21', appSpec({ rollout: { strategy: 'All', waves: Array(21).fill({ matchLabels: { a: 'b' } }) } }));
    expect(r.status).toBe(400);
    const e = r.body.errors.find((x: { pointer: string }) => x.pointer === '/spec/rollout/waves');
    expect(e?.message).toMatch(/20/);
  });
});
