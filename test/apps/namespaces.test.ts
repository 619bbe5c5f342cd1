import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let a: Awaited<ReturnType<typeof joinCluster>>;
let b: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  a = await joinCluster(h, 'acme', 'a', { tier: 'gold' });
  b = await joinCluster(h, 'acme', 'b', { tier: 'silver' });
});
afterAll(() => h.close());

const putNs = (spec: unknown) => h.call('PUT', '/v1/tenants/acme/namespaces/shop', { token: t.tokens.operator, body: { spec } });

describe('federated namespaces: one resource, a Namespace with its quota on every placed cluster', () => {
  it('places Namespace, ResourceQuota and LimitRange, labelled as the tenant’s', async () => {
    const r = await putNs({ placement: { selector: { matchLabels: { tier: 'gold' } } }, quota: { cpu: '4', memory: '8Gi', pods: 30 }, labels: { team: 'web' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status.clusters.map((c: any) => c.name)).toEqual(['a']);
    const d = await desiredOf(h, a.credential);
    expect(d.objects.map((o) => o.kind)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange']);
    const [ns, quota] = d.objects;
    expect(ns.metadata).toMatchObject({ name: 'shop', labels: { team: 'web', 'fleetplane.io/tenant': 'acme', 'fleetplane.io/namespace': 'shop' } });
    expect(ns.metadata.annotations['fleetplane.io/revision']).toBe('1');
    expect(quota.metadata.namespace).toBe('shop');
    expect(quota.spec.hard).toMatchObject({ pods: '30' });
    expect(JSON.stringify(quota.spec.hard)).toMatch(/8Gi/);
    expect(d.apps).toEqual([{ kind: 'Namespace', name: 'shop', revision: 1, generation: 1, deletionPolicy: 'Delete' }]);
    expect((await desiredOf(h, b.credential)).objects).toEqual([]);
  });

  it('namespaces are listed before apps in the desired state, so they are applied first', async () => {
    await publishWebTemplate(h, 'acme', t.tokens.operator);
    expect((await putApp(h, 'acme', t.tokens.operator, 'web', appSpec({ placement: { clusters: ['a'] } }))).status).toBe(201);
    const d = await desiredOf(h, a.credential);
    expect(d.apps.map((x) => `${x.kind}/${x.name}`)).toEqual(['Namespace/shop', 'App/web']);
    expect(d.objects[0].kind).toBe('Namespace');
  });

  it('a new placement and a quota change reach the clusters; delete takes it off every one', async () => {
    const r = await putNs({ placement: { selector: {} }, quota: { pods: 10 } });
    expect(r.body.metadata.generation).toBe(2);
    const onB = await desiredOf(h, b.credential);
    // a pods-only quota needs no container defaults, so no LimitRange
    expect(onB.objects.map((o) => o.kind)).toEqual(['Namespace', 'ResourceQuota']);
    expect(onB.objects[1].spec.hard).toEqual({ pods: '10' });
    expect(onB.objects[0].metadata.annotations['fleetplane.io/revision']).toBe('2');
    expect((await h.call('DELETE', '/v1/tenants/acme/namespaces/shop', { token: t.tokens.operator })).status).toBe(204);
    expect((await desiredOf(h, b.credential)).objects).toEqual([]);
    expect((await desiredOf(h, a.credential)).apps.map((x) => x.kind)).toEqual(['App']);
  });

  it('a namespace without a quota is the Namespace alone; bad quantities are 400', async () => {
    expect((await putNs({ placement: { clusters: ['b'] } })).status).toBe(201);
    expect((await desiredOf(h, b.credential)).objects.map((o) => o.kind)).toEqual(['Namespace']);
    const bad = await putNs({ placement: { clusters: ['b'] }, quota: { cpu: 'lots', memory: '1 GB', pods: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.pointer).sort()).toEqual(['/spec/quota/cpu', '/spec/quota/memory', '/spec/quota/pods']);
  });
});
