import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows.js';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let eu: Awaited<ReturnType<typeof joinCluster>>;
let us: Awaited<ReturnType<typeof joinCluster>>;
let dev: Awaited<ReturnType<typeof joinCluster>>;

beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  eu = await joinCluster(h, 'acme', 'eu-1', { env: 'prod', region: 'eu' });
  us = await joinCluster(h, 'acme', 'us-1', { env: 'prod', region: 'us' });
  dev = await joinCluster(h, 'acme', 'dev-1', { env: 'dev' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const kinds = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('apps: deploy to the clusters a selector picks', () => {
  it('renders for every placed cluster, stamps ownership and revision, and leaves others untouched', async () => {
    const devBefore = await desiredOf(h, dev.credential);
    const r = await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.metadata.generation).toBe(1);
    expect(r.body.status).toMatchObject({ revision: 1, deletionPolicy: 'Delete', summary: { clusters: 2 } });
    expect(r.body.status.clusters.map((c: any) => c.name)).toEqual(['eu-1', 'us-1']);
    expect(r.body.status.clusters.every((c: any) => c.phase === 'Pending')).toBe(true);
    expect(r.body.spec).toEqual(appSpec()); // stored exactly as written

    const d = await desiredOf(h, eu.credential);
    expect(kinds(d.objects)).toEqual(['ConfigMap/shop-config', 'Deployment/shop']);
    const deploy = d.objects.find((o) => o.kind === 'Deployment');
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(deploy.metadata.namespace).toBe('shop');
    expect(deploy.metadata.labels).toMatchObject({ 'fleetplane.io/tenant': 'acme', 'fleetplane.io/app': 'shop' });
    expect(deploy.metadata.annotations).toMatchObject({ 'fleetplane.io/revision': '1' });
    expect(d.apps).toEqual([{ kind: 'App', name: 'shop', revision: 1, generation: 1, deletionPolicy: 'Delete' }]);

    const devAfter = await desiredOf(h, dev.credential);
    expect(devAfter.revision).toBe(devBefore.revision);
    expect(devAfter.objects).toEqual([]);
  });

  it('stores each distinct render once, however many clusters hold it', async () => {
    const [row] = rowsOf<{ n: string; distinct: string }>(await h.db.execute(sql`
      select count(*) as n, count(distinct content_hash) as distinct from placements`));
    expect(Number(row!.n)).toBe(2);
    expect(Number(row!.distinct)).toBe(1);
  });

  it('overrides differ per cluster: values by name, patches by selector', async () => {
    const spec = appSpec({
      overrides: [
        { clusters: ['eu-1'], values: { replicas: 5 } },
        { selector: { matchLabels: { region: 'us' } }, patches: [{ target: { kind: 'ConfigMap', name: 'shop-config' }, op: 'add', path: '/data/region', value: 'us' }] },
      ],
    });
    const euRev = (await desiredOf(h, eu.credential)).revision;
    const r = await putApp(h, 'acme', t.tokens.operator, 'shop', spec);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.metadata.generation).toBe(2);
    const e = await desiredOf(h, eu.credential);
    const u = await desiredOf(h, us.credential);
    expect(e.revision).toBeGreaterThan(euRev);
    expect(e.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(5);
    expect(e.objects.find((o) => o.kind === 'ConfigMap').data).toEqual({ greeting: 'hello' });
    expect(u.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(3);
    expect(u.objects.find((o) => o.kind === 'ConfigMap').data).toEqual({ greeting: 'hello', region: 'us' });
    expect(e.objects[0].metadata.annotations['fleetplane.io/revision']).toBe('2');
  });

  it('a change that leaves a cluster’s content alike does not move its desired revision', async () => {
    const before = { eu: (await desiredOf(h, eu.credential)).revision, us: (await desiredOf(h, us.credential)).revision };
    const spec = appSpec({
      overrides: [
        { clusters: ['eu-1'], values: { replicas: 6 } },
        { selector: { matchLabels: { region: 'us' } }, patches: [{ target: { kind: 'ConfigMap', name: 'shop-config' }, op: 'add', path: '/data/region', value: 'us' }] },
      ],
    });
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec)).status).toBe(200);
    const after = { eu: await desiredOf(h, eu.credential), us: await desiredOf(h, us.credential) };
    expect(after.eu.revision).toBeGreaterThan(before.eu);
    expect(after.us.revision).toBe(before.us);
    // us-1 still holds what revision 2 gave it; the annotation says so
    expect(after.us.objects[0].metadata.annotations['fleetplane.io/revision']).toBe('2');
    expect(after.eu.objects[0].metadata.annotations['fleetplane.io/revision']).toBe('3');
  });

  it('the same PUT again changes nothing: same resourceVersion, no new revision', async () => {
    const cur = await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer });
    const again = await putApp(h, 'acme', t.tokens.operator, 'shop', cur.body.spec);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(cur.body.metadata.resourceVersion);
    expect(again.body.status.revision).toBe(cur.body.status.revision);
  });

  it('Orphan is carried to the connector on the objects and in the owner list', async () => {
    const cur = await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer });
    const r = await putApp(h, 'acme', t.tokens.operator, 'shop', { ...cur.body.spec, deletionPolicy: 'Orphan' });
    expect(r.status).toBe(200);
    const d = await desiredOf(h, eu.credential);
    expect(d.apps[0]).toMatchObject({ name: 'shop', deletionPolicy: 'Orphan' });
    expect(d.objects.every((o) => o.metadata.annotations['fleetplane.io/deletion-policy'] === 'Orphan')).toBe(true);
  });

  it('deleting the app empties the desired state of its clusters', async () => {
    const before = (await desiredOf(h, us.credential)).revision;
    expect((await h.call('DELETE', '/v1/tenants/acme/apps/shop', { token: t.tokens.operator })).status).toBe(204);
    const d = await desiredOf(h, us.credential);
    expect(d.revision).toBeGreaterThan(before);
    expect(d.objects).toEqual([]);
    expect((await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer })).status).toBe(404);
  });

  it('contents no placement uses any more are collected', async () => {
    const contents = async () => Number(rowsOf<{ n: string }>(await h.db.execute(sql`select count(*) as n from rendered_contents`))[0]!.n);
    expect(await contents()).toBe(0);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ overrides: [{ clusters: ['eu-1'], values: { replicas: 4 } }] }))).status).toBe(201);
    expect(await contents()).toBe(2);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(200);
    expect(await contents()).toBe(1);
    expect((await h.call('DELETE', '/v1/tenants/acme/clusters/us-1', { token: t.tokens.admin })).status).toBe(204);
    expect(await contents()).toBe(1);
    expect((await h.call('DELETE', '/v1/tenants/acme/clusters/eu-1', { token: t.tokens.admin })).status).toBe(204);
    expect(await contents()).toBe(0);
  });
});
