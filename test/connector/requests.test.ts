import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCluster, startAgent, startCluster, startControlPlane, until, type ControlPlaneUnderTest } from './support.js';

/**
 * What a change costs the cluster's API server: the applies, not a read of
 * what is not yet Healthy (the drift watch tells), nor a re-read of the
 * inventories and namespaces the connector wrote itself, and no drift alarm
 * from its own apply.
 */
let cp: ControlPlaneUnderTest;
let c: Awaited<ReturnType<typeof startCluster>>;
let agent: ReturnType<typeof startAgent>;
const spec = (greeting: string) => ({
  spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', values: { env: [{ name: 'GREETING', value: greeting }] }, placement: { clusters: ['edge-1'] } },
});
const change = async (greeting: string) => {
  const before = agent.agent.appliedRevision ?? 0;
  const r = await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec(greeting));
  expect([200, 201]).toContain(r.status);
  await until('applied', () => (agent.agent.appliedRevision ?? 0) > before);
  await until('Ready at the API', async () => (await cp.api('GET', '/v1/tenants/acme/apps/shop')).body.status.clusters[0]?.phase === 'Ready');
};
const deployment = () => c.server.store.get('apps/v1', 'Deployment', 'shop', 'shop');

beforeAll(async () => {
  cp = await startControlPlane();
  c = await startCluster();
  const install = await installCluster(cp, c.kube, 'acme', 'edge-1');
  agent = startAgent({ url: cp.url, joinToken: install.values.FLEETPLANE_JOIN_TOKEN, kube: c.kube, namespace: install.env.FLEETPLANE_NAMESPACE, secretName: install.env.FLEETPLANE_SECRET_NAME });
  await until('registered', () => agent.agent.ready);
  await change('first');
});
afterAll(async () => {
  await agent.agent.close();
  await c.close();
  await cp.close();
});

describe('a change, as the API server sees it', () => {
  it('applies what changed and reads nothing back: the drift watch tells how it settles', async () => {
    c.server.requests.length = 0;
    await change('second');
    await new Promise((r) => setTimeout(r, 300)); // the watch events of the apply come in
    const seen = c.server.requests.map((q) => `${q.method} ${q.path.split('?')[0]}`);
    expect(seen.filter((s) => s.startsWith('PATCH')).sort()).toEqual([
      'PATCH /api/v1/namespaces/shop/services/shop', 'PATCH /apis/apps/v1/namespaces/shop/deployments/shop',
    ]);
    // no inventory list, no namespace read: the connector wrote them and holds them
    expect(seen).not.toContain('GET /api/v1/namespaces/fleetplane-system/configmaps');
    expect(seen).not.toContain('GET /api/v1/namespaces/shop');
    // the Deployment, Progressing when applied, made Ready by its controller: told by the watch, not read again,
    // and no drift alarm about its own apply
    expect(seen.filter((s) => s === 'GET /apis/apps/v1/namespaces/shop/deployments/shop')).toEqual([]);
    expect((await agent.metrics.healthReads.get()).values.find((v) => v.labels.read === 'awaited')?.value).toBeGreaterThan(0);
    expect((await agent.metrics.driftRestored.get()).values[0]?.value ?? 0).toBe(0);
    expect(deployment().spec.template.spec.containers[0].env).toContainEqual({ name: 'GREETING', value: 'second' });
  });

  it('a target namespace deleted since it was seen is created again, and what was in it restored', async () => {
    await c.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' });
    await until('namespace gone with what it held', () => !c.server.store.get('v1', 'Namespace', undefined, 'shop') && !deployment());
    await change('third');
    await until('restored in a new namespace', () => c.server.store.get('v1', 'Namespace', undefined, 'shop') && deployment());
    expect(deployment().spec.template.spec.containers[0].env).toContainEqual({ name: 'GREETING', value: 'third' });
  });
});
