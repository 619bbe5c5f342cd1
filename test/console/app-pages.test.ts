import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { page, post, signIn } from './support.js';

let h: Harness;
let acme: SeededTenant;
let eu: Awaited<ReturnType<typeof joinCluster>>;
let us: Awaited<ReturnType<typeof joinCluster>>;
let seq = 0;
const cookies = {} as Record<'operator' | 'viewer', string>;
const PULL = 'ImagePullBackOff: Back-off pulling image "nginx:nope"';

async function report(credential: string, revision: number, health: string) {
  await heartbeat(h, credential);
  const r = await h.call('PUT', '/v1/connector/status', {
    token: credential,
    body: { seq: ++seq, revision: 0, apps: [{ name: 'shop', revision, resources: [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'shop', health, ...(health === 'Degraded' ? { message: PULL } : {}) },
      { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'shop', health: 'Healthy' },
    ] }] },
  });
  expect(r.status).toBe(204);
}

beforeAll(async () => {
  ({ h, tenant: acme } = await harnessWithTenant('acme'));
  const globex = await seedTenant(h, 'globex');
  eu = await joinCluster(h, 'acme', 'eu-1', { env: 'prod' });
  us = await joinCluster(h, 'acme', 'us-1', { env: 'prod' });
  await publishWebTemplate(h, 'acme', acme.tokens.operator);
  expect((await putApp(h, 'acme', acme.tokens.operator, 'shop', appSpec())).status).toBe(201);
  expect((await putApp(h, 'acme', acme.tokens.operator, 'shop', appSpec({ values: { replicas: 5 } }))).status).toBe(200);
  await publishWebTemplate(h, 'globex', globex.tokens.operator);
  expect((await putApp(h, 'globex', globex.tokens.operator, 'theirs', appSpec())).status).toBe(201);
  await report(eu.credential, 2, 'Healthy');
  await report(us.credential, 2, 'Degraded');
  cookies.operator = await signIn(h, acme.tokens.operator);
  cookies.viewer = await signIn(h, acme.tokens.viewer);
});
afterAll(() => h.close());

describe('the apps list', () => {
  it('names each app with its template, phase and ready count; Deploy app for operators only', async () => {
    const op = await page(h, cookies.operator, '/console/t/acme/apps');
    expect(op.html).toContain('<caption class="visually-hidden">Apps</caption>');
    expect(op.html).toContain('href="/console/t/acme/apps/shop"');
    expect(op.html).toContain('web@1.0.0');
    expect(op.html).toContain('<span class="phase phase-Failed">Failed</span>');
    expect(op.html).toContain('<td>1/2</td>');
    expect(op.html).toContain('>Deploy app</a>');
    expect(op.html).not.toContain('theirs');
    expect((await page(h, cookies.viewer, '/console/t/acme/apps')).html).not.toContain('Deploy app');
  });
});

describe('an app’s page', () => {
  it('shows its status, a Clusters table whose failing resource’s message is readable, and its revisions', async () => {
    const res = await page(h, cookies.viewer, '/console/t/acme/apps/shop');
    expect(res.status).toBe(200);
    expect(res.html).toContain('<h1>shop</h1>');
    expect(res.html).toContain('1/2 ready, 0 progressing, 1 failed, 0 unknown');
    expect(res.html).toContain('<caption>Clusters</caption>');
    expect(res.html).toContain('— ImagePullBackOff: Back-off pulling image &quot;nginx:nope&quot;');
    expect(res.html).toContain('1/2 healthy');
    expect(res.html).toContain('<caption>Revisions</caption>');
    expect(res.html).toMatch(/<th scope="row">2<\/th>[\s\S]*current[\s\S]*<th scope="row">1<\/th>/);
    // a viewer gets no control that changes anything
    for (const control of ['Roll back', '>Edit<', '>Delete<', 'Resume']) expect(res.html, control).not.toContain(control);
  });

  it('narrows the clusters to those needing attention, in the URL', async () => {
    const res = await page(h, cookies.viewer, '/console/t/acme/apps/shop?attention=1');
    expect(res.html).toContain('href="/console/t/acme/clusters/us-1"');
    expect(res.html).not.toContain('href="/console/t/acme/clusters/eu-1"');
    const ready = await page(h, cookies.viewer, '/console/t/acme/apps/shop?phase=Ready');
    expect(ready.html).toContain('href="/console/t/acme/clusters/eu-1"');
    expect(ready.html).not.toContain('href="/console/t/acme/clusters/us-1"');
  });

  it('rolls back after showing the plan’s diff', async () => {
    const op = await page(h, cookies.operator, '/console/t/acme/apps/shop');
    expect(op.html).toContain('href="/console/t/acme/apps/shop/rollback?revision=1"');
    const preview = await page(h, cookies.operator, '/console/t/acme/apps/shop/rollback?revision=1');
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('<caption>Rollback plan</caption>');
    expect(preview.html).toMatch(/<span class="del">-\s+replicas: 5\n<\/span>/);
    expect(preview.html).toMatch(/<span class="add">\+\s+replicas: 3\n<\/span>/);
    expect(preview.html).toContain('>Confirm rollback</button>');
    const forged = await post(h, cookies.viewer, '/console/t/acme/apps/shop/rollback', { revision: '1' });
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('role="alert"');
    const done = await post(h, cookies.operator, '/console/t/acme/apps/shop/rollback', { revision: '1' });
    expect(done.status).toBe(303);
    const app = await h.call('GET', '/v1/tenants/acme/apps/shop', { token: acme.tokens.viewer });
    expect(app.body.metadata.generation).toBe(3);
    expect(app.body.spec.values).toEqual({ replicas: 3 });
  });

  it('deletes after a confirmation; another tenant’s app is a 404', async () => {
    expect((await page(h, cookies.operator, '/console/t/acme/apps/shop?confirm=delete')).html).toContain('>Confirm delete</button>');
    expect((await page(h, cookies.operator, '/console/t/acme/apps/theirs')).status).toBe(404);
    expect((await post(h, cookies.operator, '/console/t/acme/apps/shop/delete', {})).status).toBe(303);
    expect((await h.call('GET', '/v1/tenants/acme/apps/shop', { token: acme.tokens.viewer })).status).toBe(404);
  });
});
