import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCluster, startAgent, startCluster, startControlPlane, until, type ControlPlaneUnderTest } from './support.js';

/**
 * Issue 7's "Must show": a cluster joined with its install manifest's values,
 * an app from the catalog deployed, changed, drifted, removed; the control
 * plane stopped and started again; the connector restarted.
 */
let cp: ControlPlaneUnderTest;
let c: Awaited<ReturnType<typeof startCluster>>;
const agents: ReturnType<typeof startAgent>[] = [];
let install: Awaited<ReturnType<typeof installCluster>>;

beforeAll(async () => {
  cp = await startControlPlane();
  c = await startCluster({ readyDelayMs: 50 });
  install = await installCluster(cp, c.kube, 'acme', 'edge-1');
});
afterAll(async () => {
  for (const a of agents) await a.agent.close();
  await c?.close();
  await cp?.close();
});

const connector = () => {
  const a = startAgent({
    url: install.values.FLEETPLANE_URL!.replace(/^https?:\/\/[^/]+/, cp.url), joinToken: install.values.FLEETPLANE_JOIN_TOKEN,
    kube: c.kube, namespace: install.env.FLEETPLANE_NAMESPACE, secretName: install.env.FLEETPLANE_SECRET_NAME,
  });
  agents.push(a);
  return a;
};
const spec = (values: Record<string, unknown> = {}) => ({
  spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', values, placement: { clusters: ['edge-1'] } },
});
const deployment = () => c.server.store.get('apps/v1', 'Deployment', 'shop', 'shop');
const service = () => c.server.store.get('v1', 'Service', 'shop', 'shop');
const appStatus = async () => (await cp.api('GET', '/v1/tenants/acme/apps/shop')).body.status;

describe('the connector end to end, against the real control plane and an API server', () => {
  it('deploys, re-applies, restores drift, prunes; survives the control plane going away; restarts without joining', { timeout: 120_000 }, async () => {
    const one = connector();
    await until('registered', () => one.agent.ready);
    expect(install.values.FLEETPLANE_URL).toBeTruthy();

    // deploy from the catalog → objects in the cluster, Ready at the API
    const put = await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec({ replicas: 2 }));
    expect(put.status).toBe(201);
    await until('deployment applied', () => deployment());
    const d = deployment();
    expect(d.metadata.labels).toMatchObject({ 'fleetplane.io/tenant': 'acme', 'fleetplane.io/app': 'shop' });
    expect(d.metadata.managedFields.some((m: any) => m.manager === 'fleetplane-connector' && m.operation === 'Apply')).toBe(true);
    expect(service()).toBeTruthy();
    // the target namespace was created bare: never pruned
    expect(c.server.store.get('v1', 'Namespace', undefined, 'shop').metadata.labels?.['fleetplane.io/tenant']).toBeUndefined();
    const ready = await until('Ready at the API', async () => ((await appStatus()).phase === 'Ready' ? appStatus() : undefined), 15_000);
    expect(ready.clusters[0].resources.map((r: any) => `${r.kind}:${r.health}`).sort()).toEqual(['Deployment:Healthy', 'Service:Healthy']);

    // change the app → re-applied
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec({ replicas: 3 }))).status).toBe(200);
    await until('re-applied', () => deployment()?.spec.replicas === 3);
    await until('Ready at generation 2', async () => {
      const s = await appStatus();
      return s.phase === 'Ready' && s.observedGeneration === 2;
    }, 15_000);

    // edit an owned object in the cluster (another field manager) → restored
    const restored = async () => (await one.metrics.driftRestored.get()).values[0]?.value ?? 0;
    const before = await restored();
    await c.kube.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', namespace: 'shop' }, spec: { replicas: 7 } }, true, 'kubectl-edit');
    expect(deployment().spec.replicas).toBe(7);
    await until('drift restored', () => deployment().spec.replicas === 3);
    await until('drift counted', async () => (await restored()) > before);
    // and reported at the API: the cluster's conditions (sent with a heartbeat soon after)
    const conditions = await until('drift reported at the API', async () => {
      const cs = (await cp.api('GET', '/v1/tenants/acme/clusters/edge-1')).body.status.conditions as { type: string; status: string; message: string }[];
      return cs.some((x) => x.type === 'DriftRestored') ? cs : undefined;
    }, 5_000);
    expect(conditions.find((x) => x.type === 'DriftRestored')).toMatchObject({ status: 'True', message: expect.stringContaining('Deployment/shop/shop changed at /spec/replicas') });
    expect(conditions.find((x) => x.type === 'Synced')).toMatchObject({ status: 'True' });
    expect(conditions.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True' });
    // and as an event of the cluster, once: written just after the heartbeat's row (a second statement), so waited for
    const drifts = async () => (await cp.api('GET', '/v1/tenants/acme/events?kind=Cluster&object=edge-1')).body.items
      .filter((e: { reason: string }) => e.reason === 'DriftRestored');
    await until('the drift event', async () => ((await drifts()).length > 0 ? true : undefined), 5_000);
    expect(await drifts()).toEqual([expect.objectContaining({ kind: 'Cluster', object: 'edge-1', message: expect.stringContaining('Deployment/shop/shop changed at /spec/replicas') })]);
    // deleted in the cluster → recreated
    await c.kube.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'shop' });
    await until('service recreated', () => service() && !service().metadata.deletionTimestamp);

    // stop the control plane → nothing deleted; it comes back → the connector recovers
    await cp.stop();
    await new Promise((r) => setTimeout(r, 2500));
    expect(deployment()).toBeTruthy();
    expect(service()).toBeTruthy();
    expect(c.server.store.list('v1', 'ConfigMap', install.env.FLEETPLANE_NAMESPACE).some((m: any) => m.metadata.name === 'fleetplane-inventory-app-shop')).toBe(true);
    expect(c.server.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/shop')).length).toBe(1); // only the test's own delete
    await cp.start();
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec({ replicas: 4 }))).status).toBe(200);
    await until('recovered and applied', () => deployment()?.spec.replicas === 4, 30_000);

    // restart the connector → no second join
    await one.agent.close();
    const two = connector();
    await until('ready after restart', () => two.agent.ready);
    expect(two.agent.joins).toBe(0);

    // remove the app → pruned (the namespace it did not own stays)
    expect((await cp.api('DELETE', '/v1/tenants/acme/apps/shop')).status).toBe(204);
    await until('pruned', () => !deployment() && !service(), 15_000);
    expect(c.server.store.get('v1', 'Namespace', undefined, 'shop')).toBeTruthy();
    // the inventory goes last, once what it listed is gone
    await until('inventory removed', () => !c.server.store.list('v1', 'ConfigMap', install.env.FLEETPLANE_NAMESPACE).some((m: any) => m.metadata.name === 'fleetplane-inventory-app-shop'), 5_000);
  });
});
