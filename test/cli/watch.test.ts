import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { background, startServer, type Server } from './support.js';

let s: Server;
const credentials: Record<string, string> = {};
let seq = 0;
beforeAll(async () => {
  s = await startServer();
  expect((await s.run(['apply', '-f', 'examples/'])).code).toBe(0);
  for (const name of ['edge-eu-1', 'edge-us-1']) {
    const jt = await s.api('POST', `/v1/tenants/acme/clusters/${name}/join-tokens`, {});
    const reg = await s.api('POST', '/v1/connector/register', {
      joinToken: jt.body.token, cluster: { kubernetesVersion: 'v1.31.2', nodeCount: 3, connectorVersion: '0.1.0' },
    });
    credentials[name] = reg.body.credential;
  }
});
afterAll(() => s.close());

/** What a connector reports after applying the app's objects on its cluster. */
async function report(cluster: string, revision: number, health: string) {
  const token = credentials[cluster]!;
  await s.api('POST', '/v1/connector/heartbeat', { kubernetesVersion: 'v1.31.2', nodeCount: 3 }, token);
  const r = await s.api('PUT', '/v1/connector/status', {
    seq: ++seq, revision: 0,
    apps: [{ name: 'storefront', revision, resources: [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'storefront', health, ...(health === 'Degraded' ? { message: 'ImagePullBackOff' } : {}) },
      { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'storefront', health: 'Healthy' },
    ] }],
  }, token);
  expect(r.status).toBe(204);
}

/** `fleetplane watch app storefront` in the background, with its output so far. */
const watch = (args: string[] = []) => background(['watch', 'app', 'storefront', '--interval', '0.3', ...args], s.env);

describe('fleetplane watch app', () => {
  it('shows each cluster as it progresses and exits 0 once every cluster is Ready', async () => {
    const w = watch();
    await w.until('app/storefront Progressing: 0/2 clusters ready');
    await report('edge-eu-1', 1, 'Progressing');
    await w.until('edge-eu-1  Progressing');
    await report('edge-eu-1', 1, 'Healthy');
    await report('edge-us-1', 1, 'Healthy');
    expect(await w.exited).toBe(0);
    expect(w.out()).toMatch(/app\/storefront Ready: 2\/2 clusters ready/);
    expect(w.out()).toMatch(/^ {2}edge-us-1 {2}Ready\s+revision 1 {2}2 resources$/m);
  });

  it('exits 1 when a cluster fails, naming the unhealthy resource', async () => {
    const put = await s.api('PUT', '/v1/tenants/acme/apps/storefront', {
      metadata: { labels: { team: 'shop' } },
      spec: { template: { name: 'web', version: '1.0.0' }, namespace: 'shop', values: { replicas: 3 }, placement: { selector: { matchLabels: { env: 'prod' } } } },
    });
    expect(put.status).toBe(200);
    const w = watch();
    await w.until('(generation 2, observed 1)');
    await report('edge-eu-1', 2, 'Degraded');
    expect(await w.exited).toBe(1);
    expect(w.out()).toContain('Deployment/storefront Degraded (ImagePullBackOff)');
    expect(w.out()).toMatch(/app\/storefront Failed/);
  });

  it('exits 1 on Ctrl-C', async () => {
    await report('edge-eu-1', 2, 'Progressing');
    const w = watch();
    await w.until('app/storefront Progressing');
    w.child.kill('SIGINT');
    expect(await w.exited).toBe(1);
    expect(w.err()).toContain('interrupted');
  });
});
