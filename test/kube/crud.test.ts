import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { startKubeServer, type KubeServer } from './server.js';
import { apply, configMap, deployment, eventually, objectApi, statusOf } from './helpers.js';

let server: KubeServer;
let api: KubernetesObjectApi;
let core: CoreV1Api;
beforeAll(async () => {
  // Namespaces stay Terminating a moment, long enough to observe, as on a real cluster.
  server = await startKubeServer({ namespaceFinalizeDelayMs: 150 });
  api = objectApi(server);
  core = server.kubeConfigObject().makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
  await core.createNamespace({ body: { metadata: { name: 'team-b' } } });
});
afterAll(() => server.close());

describe('get, list, create, replace, delete', () => {
  it('lists with equality and set-based label selectors, a field selector, and across namespaces', async () => {
    await apply(api, configMap('a1', 'team-a', { k: '1' }, { app: 'shop', tier: 'web' }), 't');
    await apply(api, configMap('a2', 'team-a', { k: '2' }, { app: 'shop', tier: 'db' }), 't');
    await apply(api, configMap('b1', 'team-b', { k: '3' }, { app: 'blog' }), 't');
    const names = (r: { items: any[] }) => r.items.map((i) => i.metadata.name).sort();

    const list: any = await api.list('v1', 'ConfigMap', 'team-a', undefined, undefined, undefined, undefined, 'app=shop,tier!=db');
    expect(list.kind).toBe('ConfigMapList');
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(names(list)).toEqual(['a1']);
    expect(list.items[0]).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });

    expect(names(await core.listConfigMapForAllNamespaces({ labelSelector: 'app in (shop,blog)' }))).toEqual(['a1', 'a2', 'b1']);
    expect(names(await core.listConfigMapForAllNamespaces({ labelSelector: 'app notin (shop),tier' }))).toEqual([]);
    expect(names(await core.listConfigMapForAllNamespaces({ labelSelector: '!tier' }))).toEqual(['b1']);
    expect(names(await core.listNamespacedConfigMap({ namespace: 'team-a', fieldSelector: 'metadata.name=a2' }))).toEqual(['a2']);
  });

  it('pages a list with limit and continue', async () => {
    const first = await core.listNamespacedConfigMap({ namespace: 'team-a', limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const second = await core.listNamespacedConfigMap({ namespace: 'team-a', limit: 1, _continue: first.metadata!._continue! });
    expect(second.items.map((i) => i.metadata!.name)).not.toEqual(first.items.map((i) => i.metadata!.name));
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('creates with the typed client, refuses a duplicate, replaces with optimistic concurrency', async () => {
    const apps = server.kubeConfigObject().makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: 'team-a', body: deployment('api', 'team-a') as any });
    expect(created.metadata?.generation).toBe(1);
    const dup = await statusOf(apps.createNamespacedDeployment({ namespace: 'team-a', body: deployment('api', 'team-a') as any }));
    expect(dup.code).toBe(409);
    expect(dup.status).toMatchObject({ reason: 'AlreadyExists', message: 'deployments.apps "api" already exists', details: { name: 'api', group: 'apps', kind: 'deployments' } });

    // Read first: the controller has written status since the create, which moved the resourceVersion.
    const current = await apps.readNamespacedDeployment({ name: 'api', namespace: 'team-a' });
    expect(Number(current.metadata!.resourceVersion)).toBeGreaterThan(Number(created.metadata!.resourceVersion));
    const stale = structuredClone(created);
    current.spec!.replicas = 4;
    const replaced = await apps.replaceNamespacedDeployment({ name: 'api', namespace: 'team-a', body: current });
    expect(replaced.metadata?.generation).toBe(2);
    stale.spec!.replicas = 7;
    const lost = await statusOf(apps.replaceNamespacedDeployment({ name: 'api', namespace: 'team-a', body: stale }));
    expect(lost.code).toBe(409);
    expect(lost.status.message).toContain('the object has been modified');
    const owners = replaced.metadata!.managedFields!.map((m) => `${m.manager}:${m.operation}`);
    expect(owners.every((o) => o.endsWith(':Update'))).toBe(true);
  });

  it('merge-patches and JSON-patches, taking the changed fields away from their applier', async () => {
    await apply(api, configMap('patched', 'team-a', { a: '1', b: '2' }), 'fleet');
    const merged: any = await api.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched', namespace: 'team-a' }, data: { a: 'edited', b: null } } as any,
      undefined, undefined, 'kubectl-edit', undefined, PatchStrategy.MergePatch);
    expect(merged.data).toEqual({ a: 'edited' });
    // fleet owned only data.a and data.b; both were taken, so its entry is gone.
    expect(merged.metadata.managedFields.find((m: any) => m.manager === 'fleet')).toBeUndefined();
    expect(merged.metadata.managedFields.find((m: any) => m.manager === 'kubectl-edit').fieldsV1['f:data']).toEqual({ 'f:a': {} });

    // Re-applying another value now conflicts with the editor, as on a real apiserver; force wins it back.
    const back = await statusOf(apply(api, configMap('patched', 'team-a', { a: '1' }), 'fleet'));
    expect(back.status.details.causes[0]).toMatchObject({ field: '.data.a', message: 'conflict with "kubectl-edit" using v1' });
    const restored: any = await apply(api, configMap('patched', 'team-a', { a: '1' }), 'fleet', true);
    expect(restored.data).toEqual({ a: '1' });

    const res = await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps/patched`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: '/data/c', value: '3' }]),
    });
    expect((await res.json()).data).toEqual({ a: '1', c: '3' });
  });

  it('deletes, then reads NotFound; a second delete is NotFound too', async () => {
    await apply(api, configMap('doomed', 'team-b', { x: 'y' }), 't');
    const res = await core.deleteNamespacedConfigMap({ name: 'doomed', namespace: 'team-b', propagationPolicy: 'Foreground' });
    expect(res).toMatchObject({ kind: 'Status', status: 'Success' });
    const read = await statusOf(core.readNamespacedConfigMap({ name: 'doomed', namespace: 'team-b' }));
    expect(read.code).toBe(404);
    expect(read.status).toMatchObject({ reason: 'NotFound', message: 'configmaps "doomed" not found', details: { name: 'doomed', kind: 'configmaps' } });
    expect((await statusOf(api.delete(configMap('doomed', 'team-b', {})))).code).toBe(404);
  });

  it('deletes dependents by ownerReferences, and orphans them when asked', async () => {
    const owner: any = await apply(api, configMap('owner', 'team-b', {}), 't');
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    await apply(api, { ...configMap('child', 'team-b', {}), metadata: { name: 'child', namespace: 'team-b', ownerReferences: [ref] } }, 't');
    await api.delete(owner);
    expect(server.store.get('v1', 'ConfigMap', 'team-b', 'child')).toBeUndefined();

    const owner2: any = await apply(api, configMap('owner2', 'team-b', {}), 't');
    const ref2 = { ...ref, name: 'owner2', uid: owner2.metadata.uid };
    await apply(api, { ...configMap('child2', 'team-b', {}), metadata: { name: 'child2', namespace: 'team-b', ownerReferences: [ref2] } }, 't');
    await api.delete(owner2, undefined, undefined, undefined, undefined, 'Orphan');
    expect(server.store.get('v1', 'ConfigMap', 'team-b', 'child2').metadata.ownerReferences).toBeUndefined();
  });

  it('answers 404 namespaces "x" not found when creating in a missing namespace', async () => {
    const { code, status } = await statusOf(apply(api, configMap('c', 'nowhere', {}), 't'));
    expect(code).toBe(404);
    expect(status).toMatchObject({ reason: 'NotFound', message: 'namespaces "nowhere" not found', details: { name: 'nowhere', kind: 'namespaces' } });
    expect((await statusOf(core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'c' } } }))).code).toBe(404);
  });

  it('deletes a namespace with what is in it, Terminating first', async () => {
    await core.createNamespace({ body: { metadata: { name: 'short-lived' } } });
    await apply(api, configMap('inside', 'short-lived', { a: 'b' }), 't');
    await apply(api, deployment('inside', 'short-lived'), 't');
    const terminating = await core.deleteNamespace({ name: 'short-lived' });
    expect(terminating).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    const blocked = await statusOf(apply(api, configMap('late', 'short-lived', {}), 't'));
    expect(blocked.code).toBe(403);
    await eventually(() => server.store.get('v1', 'Namespace', undefined, 'short-lived') === undefined);
    expect(server.store.list('v1', 'ConfigMap', 'short-lived')).toEqual([]);
    expect(server.store.list('apps/v1', 'Deployment', 'short-lived')).toEqual([]);
  });

  it('validates names and that the body matches the URL', async () => {
    const bad = await statusOf(apply(api, configMap('not_valid', 'team-a', {}), 't'));
    expect(bad.code).toBe(422);
    expect(bad.status).toMatchObject({ reason: 'Invalid', details: { causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] } });
    expect(bad.status.message).toMatch(/^ConfigMap "not_valid" is invalid: metadata.name: Invalid value: "not_valid": a lowercase RFC 1123 subdomain/);

    const noName = await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps`, { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }) });
    expect(noName.status).toBe(422);
    expect((await noName.json()).details.causes[0]).toMatchObject({ reason: 'FieldValueRequired', field: 'metadata.name' });

    const wrongKind = await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps`, { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }) });
    expect(wrongKind.status).toBe(400);
    expect(await wrongKind.json()).toMatchObject({ reason: 'BadRequest', code: 400 });

    const wrongVersion = await fetch(`${server.url}/apis/apps/v1/namespaces/team-a/deployments`, { method: 'POST', body: JSON.stringify({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'd' } }) });
    expect((await wrongVersion.json()).message).toBe('the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)');
  });

  it('answers dryRun=All writes without storing them', async () => {
    const before = server.store.get('v1', 'ConfigMap', 'team-a', 'a1');
    const dry: any = await api.patch(configMap('a1', 'team-a', { k: 'dry' }, { app: 'shop', tier: 'web' }), undefined, 'All', 't', undefined, PatchStrategy.ServerSideApply);
    expect(dry.data).toEqual({ k: 'dry' });
    expect(server.store.get('v1', 'ConfigMap', 'team-a', 'a1')).toEqual(before);
    const created: any = await api.create(configMap('ghost', 'team-a', {}), undefined, 'All');
    expect(created.metadata.name).toBe('ghost');
    expect(server.store.get('v1', 'ConfigMap', 'team-a', 'ghost')).toBeUndefined();
    await api.delete(configMap('a1', 'team-a', {}), undefined, 'All');
    expect(server.store.get('v1', 'ConfigMap', 'team-a', 'a1')).toEqual(before);
    const bad = await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps?dryRun=Some`, { method: 'POST', body: '{}' });
    expect(bad.status).toBe(400);
  });

  it('folds a Secret\'s stringData into data, as the apiserver does: it is write-only', async () => {
    const created = await core.createNamespacedSecret({ namespace: 'team-a', body: { metadata: { name: 's1' }, data: { user: 'YWRtaW4=' }, stringData: { password: 'hunter2' } } });
    expect(created.stringData).toBeUndefined();
    expect(created.type).toBe('Opaque');
    expect(created.data).toEqual({ user: 'YWRtaW4=', password: Buffer.from('hunter2').toString('base64') });
    // by server-side apply too: a stringData key overwrites the same data key
    await apply(api, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'team-a' }, stringData: { user: 'root' } } as any, 't', true);
    const stored = server.store.get('v1', 'Secret', 'team-a', 's1');
    expect(stored.stringData).toBeUndefined();
    expect(Buffer.from(stored.data.user, 'base64').toString()).toBe('root');
  });

  it('answers MethodNotAllowed and UnsupportedMediaType with Status bodies', async () => {
    const post = await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps/a1`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
    const patch = await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps/a1`, { method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect(patch.status).toBe(415);
    expect(await patch.json()).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
  });
});
