import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let eu: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  eu = await joinCluster(h, 'acme', 'eu-1', { env: 'prod' });
  await joinCluster(h, 'acme', 'us-1', { env: 'prod' });
  await joinCluster(h, 'acme', 'dev-1', { env: 'dev' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const plan = (spec: unknown) => h.call('POST', '/v1/tenants/acme/apps/shop/plan', { token: t.tokens.viewer, body: { spec } });
const stripRevision = (objects: any[]) =>
  objects.map((o) => {
    const { ['fleetplane.io/revision']: _r, ...annotations } = o.metadata.annotations ?? {};
    return { ...o, metadata: { ...o.metadata, annotations: Object.keys(annotations).length ? annotations : undefined } };
  });
const clean = (o: any) => JSON.parse(JSON.stringify(o));

describe('plan: what a PUT would do, writing nothing', () => {
  it('for a new app every placed cluster is a create, and apply then stores exactly the planned objects', async () => {
    const p = await plan(appSpec());
    expect(p.status).toBe(200);
    expect(p.body.clusters.map((c: any) => [c.name, c.action])).toEqual([['eu-1', 'create'], ['us-1', 'create']]);
    expect(p.body.clusters[0].diff).toMatch(/\+kind: Deployment/);
    expect((await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer })).status).toBe(404);

    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(201);
    const served = await desiredOf(h, eu.credential);
    expect(clean(stripRevision(served.objects))).toEqual(clean(stripRevision(p.body.clusters[0].objects)));
  });

  it('update, delete and none, each with a readable diff', async () => {
    const spec = appSpec({ placement: { clusters: ['eu-1', 'dev-1'] }, overrides: [{ clusters: ['eu-1'], values: { replicas: 7 } }] });
    const p = await plan(spec);
    const actions = Object.fromEntries(p.body.clusters.map((c: any) => [c.name, c.action]));
    expect(actions).toEqual({ 'dev-1': 'create', 'eu-1': 'update', 'us-1': 'delete' });
    const eu1 = p.body.clusters.find((c: any) => c.name === 'eu-1');
    expect(eu1.diff).toMatch(/-\s+replicas: 3/);
    expect(eu1.diff).toMatch(/\+\s+replicas: 7/);
    const same = await plan(appSpec());
    expect(same.body.clusters.every((c: any) => c.action === 'none' && c.diff === '')).toBe(true);
  });

  it('a plan that would not render is the same 400 as the PUT', async () => {
    const p = await plan(appSpec({ values: { replicas: 'x' } }));
    expect(p.status).toBe(400);
    expect(p.body.errors[0].pointer).toBe('/spec/values/replicas');
  });
});

describe('revisions and rollback', () => {
  it('lists every applied spec, newest first, and rolls back as a new generation', async () => {
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: 4 } }))).status).toBe(200);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: 5 } }))).status).toBe(200);
    // labels alone are not a new revision
    const labelled = await h.call('PUT', '/v1/tenants/acme/apps/shop', { token: t.tokens.operator, body: { metadata: { labels: { team: 'a' } }, spec: appSpec({ values: { replicas: 5 } }) } });
    expect(labelled.body.status.revision).toBe(3);
    const list = await h.call('GET', '/v1/tenants/acme/apps/shop/revisions?limit=2', { token: t.tokens.viewer });
    expect(list.body.items.map((i: any) => [i.revision, i.generation, i.spec.values.replicas])).toEqual([[3, 3, 5], [2, 2, 4]]);
    const rest = await h.call('GET', `/v1/tenants/acme/apps/shop/revisions?limit=2&cursor=${list.body.nextCursor}`, { token: t.tokens.viewer });
    expect(rest.body.items.map((i: any) => i.revision)).toEqual([1]);
    expect(rest.body.nextCursor).toBeNull();

    const before = await desiredOf(h, eu.credential);
    const rb = await h.call('POST', '/v1/tenants/acme/apps/shop/rollback', { token: t.tokens.operator, body: { revision: 1 } });
    expect(rb.status).toBe(200);
    expect(rb.body.spec).toEqual(appSpec());
    expect(rb.body.metadata.generation).toBe(4);
    expect(rb.body.metadata.labels).toEqual({ team: 'a' });
    expect(rb.body.status.revision).toBe(4);
    const after = await desiredOf(h, eu.credential);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(3);
    expect(after.objects[0].metadata.annotations['fleetplane.io/revision']).toBe('4');
  });

  it('a revision that does not exist is a 400 naming the range', async () => {
    const rb = await h.call('POST', '/v1/tenants/acme/apps/shop/rollback', { token: t.tokens.operator, body: { revision: 42 } });
    expect(rb.status).toBe(400);
    expect(rb.body.errors[0]).toMatchObject({ pointer: '/revision' });
    expect(rb.body.errors[0].message).toMatch(/1 to 4/);
  });

  it('resume has nothing to resume while rollouts go to every cluster at once', async () => {
    const r = await h.call('POST', '/v1/tenants/acme/apps/shop/resume', { token: t.tokens.operator });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('not_paused');
  });
});
