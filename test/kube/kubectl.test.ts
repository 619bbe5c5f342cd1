import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeServer, type KubeServer } from './server.js';

/**
 * The real kubectl against the test server (skipped where kubectl is not
 * installed). No token: kubectl refuses to send one to a plain-http server.
 */
const kubectlPath = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

let server: KubeServer;
let dir: string;
let kubeconfig: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(kubectlPath!, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
  labels: {app: shop}
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: default
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers: [{name: app, image: "nginx:1.27"}]
`;

describe.skipIf(!kubectlPath)('kubectl', () => {
  beforeAll(async () => {
    server = await startKubeServer();
    dir = await mkdtemp(join(tmpdir(), 'kube-kubectl-'));
    kubeconfig = join(dir, 'config');
    await writeFile(kubeconfig, server.kubeconfig());
    await writeFile(join(dir, 'app.yaml'), manifest);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies server-side, and gets what it applied', async () => {
    const applied = await kubectl('apply', '--server-side', '--validate=false', '-f', join(dir, 'app.yaml'));
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('configmap/settings serverside-applied');
    expect(applied.stdout).toContain('deployment.apps/shop serverside-applied');
    expect(server.requests.filter((r) => r.method === 'PATCH').map((r) => r.fieldManager)).toEqual(['kubectl', 'kubectl']);

    const got = await kubectl('get', 'configmaps', '-l', 'app=shop', '-o', 'json');
    const list = JSON.parse(got.stdout);
    expect(list.items.map((i: any) => i.data)).toEqual([{ mode: 'fast' }]);
    const names = await kubectl('get', 'deploy', '-o', 'name');
    expect(names.stdout.trim()).toBe('deployment.apps/shop');
  });

  it('waits for a rollout through watch, and reports a conflict with another manager', async () => {
    const rollout = await kubectl('rollout', 'status', 'deployment/shop', '--timeout=10s');
    expect(rollout.stdout).toContain('successfully rolled out');

    await writeFile(join(dir, 'scale.yaml'), manifest.split('---\n')[1]!.replace('replicas: 2', 'replicas: 5'));
    const clash = await kubectl('apply', '--server-side', '--validate=false', '--field-manager=autoscaler', '-f', join(dir, 'scale.yaml'));
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('conflict with "kubectl"');
    expect(clash.stderr).toContain('.spec.replicas');
    const forced = await kubectl('apply', '--server-side', '--force-conflicts', '--validate=false', '--field-manager=autoscaler', '-f', join(dir, 'scale.yaml'));
    expect(forced.code).toBe(0);
    expect(server.store.get('apps/v1', 'Deployment', 'default', 'shop').spec.replicas).toBe(5);
  });

  it('scales through the scale subresource and waits for a condition', async () => {
    expect((await kubectl('scale', 'deployment/shop', '--replicas=3')).stdout).toContain('deployment.apps/shop scaled');
    expect(server.store.get('apps/v1', 'Deployment', 'default', 'shop').spec.replicas).toBe(3);
    const waited = await kubectl('wait', '--for=condition=Available', 'deployment/shop', '--timeout=10s');
    expect(waited.stdout).toContain('condition met');
    const refused = await kubectl('delete', 'namespace', 'default');
    expect(refused.stderr).toContain('this namespace may not be deleted');
  });

  it('applies client-side too: a changed manifest goes out as a strategic merge patch', async () => {
    const two = manifest.split('---\n')[1]!.replace('name: shop', 'name: cs').replace(/app: shop/g, 'app: cs')
      .replace('containers: [{name: app, image: "nginx:1.27"}]', 'containers: [{name: app, image: "nginx:1.27"}, {name: side, image: "envoy:1"}]');
    await writeFile(join(dir, 'cs.yaml'), two);
    expect((await kubectl('apply', '--validate=false', '-f', join(dir, 'cs.yaml'))).stdout).toContain('deployment.apps/cs created');
    await writeFile(join(dir, 'cs.yaml'), two.replace(', {name: side, image: "envoy:1"}', '').replace('nginx:1.27', 'nginx:1.28'));
    const again = await kubectl('apply', '--validate=false', '-f', join(dir, 'cs.yaml'));
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('deployment.apps/cs configured');
    const live = server.store.get('apps/v1', 'Deployment', 'default', 'cs');
    expect(live.spec.template.spec.containers).toEqual([{ name: 'app', image: 'nginx:1.28' }]);
    expect(live.metadata.generation).toBe(2);
  });

  it('deletes, and then reports NotFound', async () => {
    expect((await kubectl('delete', 'configmap', 'settings')).stdout).toContain('configmap "settings" deleted');
    const missing = await kubectl('get', 'configmap', 'settings');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('configmaps "settings" not found');
  });
});
