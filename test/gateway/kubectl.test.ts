import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../connector/support.js';
import { GATEWAY_USER, startGatewayStack } from './support.js';

/**
 * Issue 17's "Must show": real kubectl through the gateway, over HTTPS, to a
 * cluster's API server behind the real connector, as the caller: the API
 * server sees the gateway's identity impersonating the caller in the group of
 * its tenant role, and its RBAC decides.
 */
let s: Awaited<ReturnType<typeof startGatewayStack>>;
let viewer: { token: string; name: string };
let operator: { token: string; name: string };
beforeAll(async () => {
  s = await startGatewayStack({ redirects: { '/apis/redirect.example/v1/things': 'http://169.254.169.254/latest/meta-data' } });
  await s.joinCluster('acme', 'edge-1');
  viewer = await s.token('acme', 'viewer', 'reads');
  operator = await s.token('acme', 'operator', 'deploys');
  await s.kubeClient.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, true, 'kubectl');
}, 90_000);
afterAll(() => s?.close());

const gatewayRequests = (path: string) => s.kube.requests.filter((r) => r.path === path && r.impersonatedBy === GATEWAY_USER);

describe('kubectl through the gateway', () => {
  it('get: runs in the cluster as the caller, impersonated by the gateway identity, in the group of its role', async () => {
    const r = await s.kubectl('acme', 'edge-1', viewer.token, ['get', 'namespaces', '-o', 'name']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/shop', 'namespace/fleetplane-system', 'namespace/default']));
    const seen = gatewayRequests('/api/v1/namespaces').at(-1)!;
    expect(seen).toMatchObject({ method: 'GET', user: `fleetplane:acme:token:${viewer.name}`, impersonatedBy: GATEWAY_USER });
    expect(seen.groups).toEqual(['fleetplane:viewers', 'system:authenticated']);
  });

  it('apply and delete as an operator; a viewer’s write is refused by the cluster’s RBAC, after reaching it', async () => {
    const file = join(s.dir, 'cm.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: prod\n');
    const refused = await s.kubectl('acme', 'edge-1', viewer.token, ['apply', '--server-side', '--validate=false', '-f', file]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`User "fleetplane:acme:token:${viewer.name}" cannot patch resource "configmaps" in API group "" in the namespace "shop"`);
    expect(gatewayRequests('/api/v1/namespaces/shop/configmaps/settings').some((r) => r.method === 'PATCH' && r.groups?.includes('fleetplane:viewers'))).toBe(true);
    expect(s.kube.store.get('v1', 'ConfigMap', 'shop', 'settings')).toBeUndefined();

    const applied = await s.kubectl('acme', 'edge-1', operator.token, ['apply', '--server-side', '--validate=false', '-f', file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('configmap/settings serverside-applied');
    expect(s.kube.store.get('v1', 'ConfigMap', 'shop', 'settings').data).toEqual({ mode: 'prod' });

    const deleted = await s.kubectl('acme', 'edge-1', operator.token, ['delete', 'configmap', 'settings', '-n', 'shop']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(s.kube.store.get('v1', 'ConfigMap', 'shop', 'settings')).toBeUndefined();

    // every request that could change something is in the tenant's audit log, refused ones too; reads are not
    const audit = (await s.api('GET', '/v1/tenants/acme/audit-events?limit=100')).body.items
      .filter((e: { action: string }) => e.action === 'cluster.proxy')
      .map((e: { actor: { id: string }; object: { name: string }; request: object }) => ({ actor: e.actor.id, cluster: e.object.name, ...e.request }));
    const cm = '/api/v1/namespaces/shop/configmaps/settings';
    expect(audit).toEqual([
      { actor: `token:${operator.name}`, cluster: 'edge-1', verb: 'DELETE', path: cm, status: 200 },
      { actor: `token:${operator.name}`, cluster: 'edge-1', verb: 'PATCH', path: cm, status: 201 },
      { actor: `token:${viewer.name}`, cluster: 'edge-1', verb: 'PATCH', path: cm, status: 403 },
    ]);
  });

  it('get -w: an object created while watching arrives', async () => {
    const w = s.kubectlBackground('acme', 'edge-1', viewer.token, ['get', 'configmaps', '-n', 'shop', '-w', '-o', 'name']);
    // kubectl lists, then watches from the list's resourceVersion
    const asked = () => s.kube.requests.filter((r) => r.path === '/api/v1/namespaces/shop/configmaps' && r.impersonatedBy === GATEWAY_USER).length;
    const before = asked();
    await until('the watch is open in the cluster', () => asked() >= before + 2, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    await s.kubeClient.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'arrived', namespace: 'shop' }, data: {} }, true, 'kubectl');
    await until('the event reached kubectl', () => w.out().includes('configmap/arrived'), 15_000);
    w.child.kill('SIGINT');
  });

  it('strips what a hostile caller sends: --as, Impersonate-User (also hidden behind Connection), its own Authorization; refuses paths that climb out and redirects', async () => {
    const as = await s.kubectl('acme', 'edge-1', viewer.token, ['get', 'secrets', '-n', 'shop', '--as', 'system:admin', '--as-group', 'system:masters']);
    expect(as.code).not.toBe(0);
    expect(as.stderr).toContain(`User "fleetplane:acme:token:${viewer.name}" cannot list resource "secrets"`);

    const url = `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy/api/v1/namespaces/shop/secrets`;
    const sneaky = await s.call('GET', url, {
      token: viewer.token, headers: { connection: 'Impersonate-User, Impersonate-Group', 'impersonate-user': 'system:admin', 'impersonate-group': 'system:masters' },
    });
    expect(sneaky.status).toBe(403);
    const seen = gatewayRequests('/api/v1/namespaces/shop/secrets').at(-1)!;
    expect(seen.user).toBe(`fleetplane:acme:token:${viewer.name}`);
    expect(seen.groups).not.toContain('system:masters');

    // dot segments, plain or encoded, are resolved before routing (WHATWG URL): a path that climbs out of one cluster's
    // gateway is a request for whatever it resolves to, judged as that: another tenant's cluster is not found, and a
    // path above the gateway is no route at all; neither reaches any API server
    const before = s.kube.requests.length;
    const escapes = ['/%2e%2e/%2e%2e/%2e%2e/%2e%2e/globex/clusters/edge-1/proxy/api/v1/pods', '/api/%2E%2E/%2E%2E/metrics', '/%2e%2e/kubeconfig/../../../../../../etc/passwd'];
    for (const path of escapes) {
      const r = await s.call('GET', `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy${path}`, { token: viewer.token });
      expect(r.status, path).toBe(404);
    }
    expect(s.kube.requests.length).toBe(before);
    // what is not the API server's below the gateway is refused there
    expect((await s.call('GET', `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy/metrics`, { token: viewer.token })).status).toBe(400);
    const redirected = await s.call('GET', `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy/apis/redirect.example/v1/things`, { token: viewer.token });
    expect(redirected.status).toBe(502);
    expect(redirected.headers.location).toBeUndefined();
    expect(redirected.body.detail).toContain('redirect');
  });

  it('a kubeconfig from the API: kubectl runs `fleetplane credential`, which gives it the stored token', async () => {
    const cfg = await s.api('GET', '/v1/tenants/acme/clusters/edge-1/kubeconfig', undefined, viewer.token);
    expect(cfg.status).toBe(200);
    const file = join(s.dir, 'edge-1.kubeconfig.yaml');
    await writeFile(file, cfg.body as string);
    // `fleetplane` on PATH as after npm install -g, and a login stored for this server
    const bin = join(s.dir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'fleetplane'), `#!/bin/sh\nexec "${process.execPath}" "${join(process.cwd(), 'bin/fleetplane.js')}" "$@"\n`, { mode: 0o755 });
    const config = join(s.dir, 'xdg');
    await mkdir(join(config, 'fleetplane'), { recursive: true });
    await writeFile(join(config, 'fleetplane', 'config.json'), JSON.stringify({ url: s.cp.url, token: viewer.token, tenant: 'acme' }), { mode: 0o600 });
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => execFile('kubectl',
      ['--kubeconfig', file, '--certificate-authority', s.ca.caPath, 'get', 'namespaces', '-o', 'name'],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, XDG_CONFIG_HOME: config } },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('namespace/shop');
    expect(gatewayRequests('/api/v1/namespaces').at(-1)!.user).toBe(`fleetplane:acme:token:${viewer.name}`);
  });

  it('answers 503 with Retry-After for a cluster without its connector; 404 for another tenant’s; 401 without a token', async () => {
    await s.api('PUT', '/v1/tenants/acme/clusters/edge-2', { metadata: { labels: {} }, spec: {} });
    const dark = await s.call('GET', `${s.cp.url}/v1/tenants/acme/clusters/edge-2/proxy/api/v1/pods`, { token: viewer.token });
    expect(dark.status).toBe(503);
    expect(dark.headers['retry-after']).toBe('5');
    await s.api('PUT', '/v1/tenants/globex', { spec: { displayName: 'Globex' } });
    const other = await s.call('GET', `${s.cp.url}/v1/tenants/globex/clusters/edge-1/proxy/api/v1/pods`, { token: viewer.token });
    expect(other.status).toBe(404);
    expect((await s.call('GET', `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy/api/v1/pods`)).status).toBe(401);
    const upgrade = await s.call('POST', `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy/api/v1/namespaces/shop/pods/x/exec?command=sh`, {
      token: operator.token, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' },
    });
    expect(upgrade.status).toBe(400);
    expect(upgrade.body.detail).toContain('exec, attach and port-forward are not carried');
  });
});
