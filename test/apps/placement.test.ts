import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let edge: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  edge = await joinCluster(h, 'acme', 'edge', { env: 'dev' });
  await joinCluster(h, 'acme', 'core', { env: 'prod' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
  expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(201);
});
afterAll(() => h.close());

const relabel = (name: string, labels: Record<string, string>) =>
  h.call('PUT', `/v1/tenants/acme/clusters/${name}`, { token: t.tokens.admin, body: { metadata: { labels }, spec: {} } });
const status = async () => (await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer })).body.status;

describe('placement follows the fleet', () => {
  it('a relabel moves the app onto a cluster and off it again; desired state and status follow', async () => {
    expect((await desiredOf(h, edge.credential)).objects).toEqual([]);
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['core']);

    const on = await relabel('edge', { env: 'prod' });
    expect(on.status).toBe(200);
    const d = await desiredOf(h, edge.credential);
    expect(d.revision).toBe(on.body.status.desiredRevision);
    expect(d.objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment']);
    expect(d.objects[0].metadata.annotations['fleetplane.io/revision']).toBe('1');
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['core', 'edge']);

    const off = await relabel('edge', { env: 'staging' });
    const after = await desiredOf(h, edge.credential);
    expect(after.revision).toBe(off.body.status.desiredRevision);
    expect(after.revision).toBeGreaterThan(d.revision);
    expect(after.objects).toEqual([]);
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['core']);
  });

  it('a cluster that joins after the app gets it at once', async () => {
    const late = await joinCluster(h, 'acme', 'late', { env: 'prod' });
    const d = await desiredOf(h, late.credential);
    expect(d.revision).toBeGreaterThan(0);
    expect(d.apps).toEqual([expect.objectContaining({ kind: 'App', name: 'shop', revision: 1 })]);
  });

  it('naming a cluster places it whatever its labels; deleting a cluster drops it from the status', async () => {
    const spec = appSpec({ placement: { clusters: ['edge'], selector: { matchLabels: { env: 'prod' } } } });
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec)).status).toBe(200);
    expect((await desiredOf(h, edge.credential)).apps.map((a) => a.revision)).toEqual([2]);
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['core', 'edge', 'late']);
    expect((await h.call('DELETE', '/v1/tenants/acme/clusters/late', { token: t.tokens.admin })).status).toBe(204);
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['core', 'edge']);
  });

  it('matchExpressions select as Kubernetes does; an empty selector takes every cluster', async () => {
    const spec = appSpec({ placement: { selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } } });
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec)).status).toBe(200);
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['edge']);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ placement: { selector: {} } }))).status).toBe(200);
    expect((await status()).clusters.map((c: any) => c.name)).toEqual(['core', 'edge']);
  });
});
