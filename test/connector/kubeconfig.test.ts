import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { KubeClient } from '../../connectors/kube/client.js';
import { KubeError } from '../../connectors/kube/http.js';
import { loadKubeConfig } from '../../connectors/kube/kubeconfig.js';
import { startKubeServer, type KubeServer } from '../kube/server.js';

const TOKEN = 'exec-issued-token';
const doc = (server: string, user: Record<string, unknown>, context = 'main') => stringify({
  apiVersion: 'v1', kind: 'Config', 'current-context': context,
  clusters: [{ name: `${context}-cluster`, cluster: { server, 'insecure-skip-tls-verify': true } }],
  users: [{ name: `${context}-user`, user }],
  contexts: [{ name: context, context: { cluster: `${context}-cluster`, user: `${context}-user` } }],
});

describe('kubeconfig, as @kubernetes/client-node loads it', () => {
  let dir: string;
  let server: KubeServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fp-kubeconfig-'));
    server = await startKubeServer({ token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an exec credential plugin supplies the token (a kubeconfig our own reader refused)', async () => {
    const plugin = join(dir, 'credential.sh');
    await writeFile(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${TOKEN}"}}'\n`);
    await chmod(plugin, 0o755);
    const file = join(dir, 'exec.yaml');
    await writeFile(file, doc(server.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } }));
    const kube = new KubeClient(loadKubeConfig(file));
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).toMatchObject({ metadata: { name: 'default' } });
    kube.close();

    await writeFile(join(dir, 'wrong.yaml'), doc(server.url, { token: 'not-it' }));
    const denied = new KubeClient(loadKubeConfig(join(dir, 'wrong.yaml')));
    await expect(denied.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).rejects.toMatchObject({ code: 401 });
    denied.close();
  });

  it('KUBECONFIG lists files: merged, the first one\'s current context kept', async () => {
    const first = join(dir, 'first.yaml');
    const second = join(dir, 'second.yaml');
    await writeFile(first, doc(server.url, { token: TOKEN }, 'main'));
    await writeFile(second, doc('http://127.0.0.1:9', { token: 'x' }, 'other'));
    const kc = loadKubeConfig(`${first}${delimiter}${second}`);
    expect(kc.getContexts().map((c) => c.name).sort()).toEqual(['main', 'other']);
    expect(kc.getCurrentContext()).toBe('main');
    const kube = new KubeClient(kc);
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).toBeTruthy();
    kube.close();
  });

  it('unset KUBECONFIG means the Pod\'s service account; outside a Pod it says so', async () => {
    const sa = join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(sa, { recursive: true });
    await writeFile(join(sa, 'token'), 'sa-token\n');
    await writeFile(join(sa, 'ca.crt'), 'not really a certificate');
    vi.stubEnv('KUBERNETES_SERVICE_HOST', 'fd00::1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    try {
      const kc = loadKubeConfig(undefined, dir);
      expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://[fd00::1]:443', caFile: join(dir, 'var/run/secrets/kubernetes.io/serviceaccount/ca.crt') });
      expect(kc.getCurrentUser()?.authProvider).toMatchObject({ name: 'tokenFile' });
    } finally {
      vi.unstubAllEnvs();
    }
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
    try {
      expect(() => loadKubeConfig(undefined)).toThrow(/KUBECONFIG is unset and this is not a Pod/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a refused connection is a transport error (code 0), which the connector retries without pruning', async () => {
    const file = join(dir, 'dead.yaml');
    await writeFile(file, doc('http://127.0.0.1:9', { token: TOKEN }));
    const kube = new KubeClient(loadKubeConfig(file));
    const err = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).code).toBe(0);
    kube.close();
  });
});
