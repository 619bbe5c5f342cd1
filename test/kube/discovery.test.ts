import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApisApi, CoreApi, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import { startKubeServer, type KubeServer } from './server.js';
import { KINDS, apiVersionOf } from './kinds.js';

let server: KubeServer;
beforeAll(async () => { server = await startKubeServer(); });
afterAll(() => server.close());

describe('discovery', () => {
  it('serves /api, /apis and /version to the typed clients', async () => {
    const kc = server.kubeConfigObject();
    expect((await kc.makeApiClient(CoreApi).getAPIVersions()).versions).toEqual(['v1']);
    const groups = (await kc.makeApiClient(ApisApi).getAPIVersions()).groups.map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy']));
    expect((await kc.makeApiClient(VersionApi).getCode()).gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('lists every registered kind under its group/version with plural, namespaced and verbs', async () => {
    for (const info of KINDS) {
      const path = info.group ? `/apis/${info.group}/${info.version}` : '/api/v1';
      const doc = await (await fetch(server.url + path)).json();
      expect(doc).toMatchObject({ kind: 'APIResourceList', groupVersion: apiVersionOf(info) });
      const entry = doc.resources.find((r: any) => r.name === info.plural);
      expect(entry).toMatchObject({ singularName: info.singular, namespaced: info.namespaced, kind: info.kind });
      expect(entry.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'patch', 'delete']));
    }
  });

  it('lets KubernetesObjectApi resolve paths for cluster-scoped and namespaced kinds', async () => {
    const api = KubernetesObjectApi.makeApiClient(server.kubeConfigObject());
    const role: any = await api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] } as any);
    expect(role.metadata.namespace).toBeUndefined();
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/apis/rbac.authorization.k8s.io/v1/clusterroles')).toBe(true);
  });

  it('answers unknown paths and groups with a 404 Status', async () => {
    for (const path of ['/apis/example.com/v1', '/api/v2', '/apis/apps/v1/widgets', '/nothing', '/api/v1/namespaces/%E0%A4%A']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    }
  });
});
