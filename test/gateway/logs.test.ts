import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../connector/support.js';
import { ADMIN, startGatewayStack } from './support.js';

/**
 * Logs across clusters (API.md `/apps/{app}/logs`, `fleetplane logs`), and
 * kubectl logs through the gateway: two clusters with their connectors, a
 * third placed one whose connector never came.
 */
let s: Awaited<ReturnType<typeof startGatewayStack>>;
let one: Awaited<ReturnType<typeof s.joinCluster>>;
let two: Awaited<ReturnType<typeof s.joinCluster>>;
let viewer: { token: string; name: string };
const POD = (name: string) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web', 'pod-template-hash': 'abc' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
});

beforeAll(async () => {
  s = await startGatewayStack();
  one = await s.joinCluster('acme', 'edge-1');
  two = await s.joinCluster('acme', 'edge-2', await s.startCluster());
  for (const name of ['edge-1', 'edge-2', 'edge-3']) {
    expect((await s.api('PUT', `/v1/tenants/acme/clusters/${name}`, { metadata: { labels: { logs: 'yes' } }, spec: {} })).status).toBeLessThan(300);
  }
  viewer = await s.token('acme', 'viewer', 'reads logs');
  const put = await s.api('PUT', '/v1/tenants/acme/apps/web', {
    spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', placement: { selector: { matchLabels: { logs: 'yes' } } } },
  });
  expect(put.status).toBe(201);
  for (const c of [one, two]) await until('deployed', () => c.kube.store.get('apps/v1', 'Deployment', 'shop', 'web'), 20_000);
  // the pods the Deployment's ReplicaSet would make, and what they printed
  await one.kubeClient.apply(POD('web-a'), true, 'kubelet');
  await two.kubeClient.apply(POD('web-b'), true, 'kubelet');
  await one.kubeClient.apply({ ...POD('other'), metadata: { ...POD('other').metadata, labels: { app: 'other' } } }, true, 'kubelet');
  one.kube.logs.append('shop', 'web-a', 'web', 'one: started');
  one.kube.logs.append('shop', 'other', 'web', 'not this app');
  two.kube.logs.append('shop', 'web-b', 'web', 'two: started');
  two.kube.logs.append('shop', 'web-b', 'web', 'two: ready');
}, 120_000);
afterAll(() => s?.close());

// the helper parses a body that is one JSON document; NDJSON of one line is one
const ndjson = (body: unknown): any[] => (typeof body === 'string' ? body.split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [body]);

describe('logs across clusters', () => {
  it("merges the app's pods' lines from every placed cluster, as the caller; a cluster that cannot answer is one error line", async () => {
    const r = await s.call('GET', `${s.cp.url}/v1/tenants/acme/apps/web/logs?tailLines=10`, { token: viewer.token });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-ndjson');
    const got = ndjson(r.body);
    const lines = got.filter((l) => l.line).map((l) => `${l.cluster}/${l.pod}/${l.container}: ${l.line}`).sort();
    expect(lines).toEqual(['edge-1/web-a/web: one: started', 'edge-2/web-b/web: two: ready', 'edge-2/web-b/web: two: started']);
    expect(got.every((l) => l.error || (l.namespace === 'shop' && !Number.isNaN(Date.parse(l.at))))).toBe(true);
    expect(got.filter((l) => l.error)).toEqual([{ cluster: 'edge-3', error: 'cluster "edge-3" has no connector connected to the gateway now' }]);
    // read in the cluster as the viewer, through the gateway identity
    expect(one.kube.requests.some((q) => q.path === '/api/v1/namespaces/shop/pods/web-a/log' && q.user === `fleetplane:acme:token:${viewer.name}`)).toBe(true);

    const tail = ndjson((await s.call('GET', `${s.cp.url}/v1/tenants/acme/apps/web/logs?cluster=edge-2&tailLines=1`, { token: viewer.token })).body);
    expect(tail.map((l) => l.line)).toEqual(['two: ready']);
    expect((await s.call('GET', `${s.cp.url}/v1/tenants/acme/apps/web/logs?cluster=nope`, { token: viewer.token })).status).toBe(404);
    const bad = await s.call('GET', `${s.cp.url}/v1/tenants/acme/apps/web/logs?tailLines=-1&follow=maybe`, { token: viewer.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/follow', '/tailLines']);
  });

  it('follow: a line printed later arrives while the stream stays open', async () => {
    const seen: string[] = [];
    const req = request(`${s.cp.url}/v1/tenants/acme/apps/web/logs?follow=true&tailLines=0&cluster=edge-2`, { ca: s.ca.caCert, headers: { authorization: `Bearer ${viewer.token}` } });
    req.on('response', (res) => res.on('data', (d) => seen.push(String(d))));
    req.on('error', () => {});
    req.end();
    await until('the log stream is open in the cluster', () => two.kube.requests.some((q) => q.path === '/api/v1/namespaces/shop/pods/web-b/log' && q.user?.startsWith('fleetplane:')) || undefined);
    await new Promise((r) => setTimeout(r, 200));
    two.kube.logs.append('shop', 'web-b', 'web', 'two: later');
    await until('the later line arrived', () => seen.join('').includes('two: later'));
    req.destroy();
  });

  it('fleetplane logs app: each line prefixed with its cluster, pod and container; errors on stderr, exit 1', async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/fleetplane.js', 'logs', 'app', 'web', '--tail', '5'], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: s.ca.caPath, FLEETPLANE_URL: s.cp.url, FLEETPLANE_TOKEN: ADMIN, FLEETPLANE_TENANT: 'acme', XDG_CONFIG_HOME: s.dir },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(expect.arrayContaining(['[edge-1/web-a/web] one: started', '[edge-2/web-b/web] two: started']));
    expect(r.stderr).toContain('[edge-3] error: cluster "edge-3" has no connector connected to the gateway now');
    expect(r.code).toBe(1);
  });

  it('kubectl logs and logs -f through the gateway', async () => {
    const r = await s.kubectl('acme', 'edge-1', viewer.token, ['logs', 'web-a', '-n', 'shop']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('one: started\n');
    const f = s.kubectlBackground('acme', 'edge-1', viewer.token, ['logs', '-f', 'web-a', '-n', 'shop']);
    await until('kubectl printed what was there', () => f.out().includes('one: started'));
    one.kube.logs.append('shop', 'web-a', 'web', 'one: followed');
    await until('kubectl printed the new line', () => f.out().includes('one: followed'));
    f.child.kill('SIGINT');
  });
});
