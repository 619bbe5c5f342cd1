import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, controlPlaneApi, installCluster, startAgent, startCluster, until } from '../connector/support.js';
import { startDevWorker, type DevWorker } from '../support/dev-worker.js';
import { createMigratedDatabase } from '../support/postgres.js';

/**
 * The real connector against the Workers build: `npm run dev:worker` (workerd,
 * the Neon driver, the PushHub Durable Object) on the machine's Postgres, and
 * the in-process Kubernetes API server as its cluster.
 */
let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
let worker: DevWorker;
let cluster: Awaited<ReturnType<typeof startCluster>>;
const agents: ReturnType<typeof startAgent>[] = [];

beforeAll(async () => {
  database = await createMigratedDatabase();
  worker = await startDevWorker({
    DATABASE_URL: database.url, FLEETPLANE_ADMIN_TOKEN: ADMIN,
    FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0',
  });
  cluster = await startCluster({ readyDelayMs: 50 });
});
afterAll(async () => {
  for (const a of agents) await a.agent.close();
  await cluster?.close();
  await worker?.stop();
  await database?.drop();
});

describe('the connector through npm run dev:worker', () => {
  it('joins with the install manifest, watches over the Durable Object’s WebSocket, applies an app and reports it Ready', { timeout: 90_000 }, async () => {
    const cp = { url: worker.url, api: controlPlaneApi(worker.url) };
    const install = await installCluster(cp, cluster.kube, 'acme', 'edge-1');
    // the manifest points the connector at the worker it came from
    expect(install.values.FLEETPLANE_URL).toBe(worker.url);
    const one = startAgent({
      url: install.values.FLEETPLANE_URL!, joinToken: install.values.FLEETPLANE_JOIN_TOKEN,
      kube: cluster.kube, namespace: install.env.FLEETPLANE_NAMESPACE, secretName: install.env.FLEETPLANE_SECRET_NAME,
    });
    agents.push(one);
    await until('registered', () => one.agent.ready, 20_000);
    await until('watching over a WebSocket', () => one.agent.watchMode === 'websocket');
    expect((await cp.api('GET', '/v1/tenants/acme/clusters/edge-1')).body.status.phase).toBe('Ready');

    const spec = (replicas: number) => ({
      spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', values: { replicas }, placement: { clusters: ['edge-1'] } },
    });
    const deployment = () => cluster.server.store.get('apps/v1', 'Deployment', 'shop', 'shop');
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec(2))).status).toBe(201);
    await until('applied in the cluster', () => deployment(), 20_000);
    expect(deployment().spec.replicas).toBe(2);
    const app = async () => (await cp.api('GET', '/v1/tenants/acme/apps/shop')).body;
    const ready = await until('Ready at the API', async () => ((await app()).status.phase === 'Ready' ? app() : undefined), 20_000);
    expect(ready.status.clusters[0].resources.map((r: any) => `${r.kind}:${r.health}`).sort()).toEqual(['Deployment:Healthy', 'Service:Healthy']);

    // a change is pushed through the same socket: applied without waiting for a resync or a poll
    const changed = performance.now();
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec(3))).status).toBe(200);
    await until('re-applied', () => deployment()?.spec.replicas === 3, 10_000);
    expect(performance.now() - changed).toBeLessThan(5_000);
    expect(one.agent.watchMode).toBe('websocket');
    await until('the new generation Ready at the API', async () => {
      const a = await app();
      return a.status.phase === 'Ready' && a.status.observedGeneration === a.metadata.generation;
    }, 20_000);
  });
});
