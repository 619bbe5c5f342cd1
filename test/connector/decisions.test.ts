import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../connectors/desired.js';
import { divergence } from '../../connectors/divergence.js';
import { entryOf, fromConfigMap, refOfEntry, staleEntries, toConfigMap } from '../../connectors/inventory.js';
import type { KubeObject } from '../../connectors/kube/types.js';
import { applyOrder, scoped, targetNamespaces } from '../../connectors/order.js';
import { applyDecision, NOT_OWNED, pruneDecision } from '../../connectors/ownership.js';

const o = (apiVersion: string, kind: string, name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
});
const owned = (app = 'shop', tenant = 'acme') => ({ 'fleetplane.io/tenant': tenant, 'fleetplane.io/app': app });
const names = (os: KubeObject[]) => os.map((x) => `${x.kind}/${x.metadata.namespace ?? ''}/${x.metadata.name}`);

describe('apply order', () => {
  const clusterScoped = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);
  const namespaced = (x: KubeObject) => (x.kind === 'Gadget' ? undefined : !clusterScoped.has(x.kind));

  it('cluster-scoped before namespaced; within each, a kind after what it refers to', () => {
    const sorted = applyOrder(scoped([
      o('apps/v1', 'Deployment', 'web', 'shop'), o('v1', 'Service', 'web', 'shop'), o('v1', 'ConfigMap', 'cfg', 'shop'),
      o('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'), o('v1', 'ServiceAccount', 'web', 'shop'),
      o('v1', 'Namespace', 'shop'), o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      o('networking.k8s.io/v1', 'Ingress', 'web', 'shop'), o('v1', 'Secret', 'tls', 'shop'),
    ], namespaced).ready);
    expect(names(sorted)).toEqual([
      'Namespace//shop', 'CustomResourceDefinition//widgets.example.com', 'ClusterRole//reader',
      'ServiceAccount/shop/web', 'Secret/shop/tls', 'ConfigMap/shop/cfg', 'Service/shop/web', 'Deployment/shop/web', 'Ingress/shop/web',
    ]);
  });
  it('drops a namespace given on a cluster-scoped object, defaults a missing one, sets kinds discovery does not know apart', () => {
    const s = scoped([o('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', 'shop'), o('v1', 'ConfigMap', 'c'), o('example.com/v1', 'Gadget', 'g', 'shop')], namespaced);
    expect(names(s.ready)).toEqual(['ClusterRole//r', 'ConfigMap/default/c']);
    expect(names(s.unknown)).toEqual(['Gadget/shop/g']);
  });
  it('target namespaces: the ones objects go to and no desired Namespace declares', () => {
    expect(targetNamespaces([o('v1', 'Namespace', 'a'), o('v1', 'ConfigMap', 'x', 'a'), o('v1', 'ConfigMap', 'y', 'b'), o('v1', 'Secret', 'z', 'b')])).toEqual(['b']);
  });
});

describe('inventory', () => {
  it('entries round-trip through the ConfigMap, in Flux\'s id format', () => {
    const e = [entryOf({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }), entryOf({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' })];
    expect(e).toEqual([{ id: 'shop_web_apps_Deployment', v: 'v1' }, { id: '_shop__Namespace', v: 'v1' }]);
    expect(refOfEntry(e[0]!)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(refOfEntry(e[1]!)).toEqual({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' });
    const cm = toConfigMap({ owner: { kind: 'App', name: 'shop' }, revision: 3, deletionPolicy: 'Orphan', entries: e }, 'fleetplane-system');
    expect(cm.metadata).toMatchObject({ name: 'fleetplane-inventory-app-shop', namespace: 'fleetplane-system' });
    expect(cm.metadata.labels?.['fleetplane.io/tenant']).toBeUndefined();
    expect(fromConfigMap(cm)).toEqual({ owner: { kind: 'App', name: 'shop' }, revision: 3, deletionPolicy: 'Orphan', entries: [e[1], e[0]] });
    expect(fromConfigMap({ ...cm, data: { ...(cm.data as object), entries: 'not json' } })).toBeUndefined();
  });
  it('stale entries: listed before and desired by no owner now', () => {
    const old = [{ id: 'shop_a__ConfigMap', v: 'v1' }, { id: 'shop_b__ConfigMap', v: 'v1' }, { id: 'shop_c__ConfigMap', v: 'v1' }];
    expect(staleEntries(old, new Set(['shop_a__ConfigMap', 'shop_c__ConfigMap']))).toEqual([old[1]]);
  });
});

describe('ownership', () => {
  const me = { tenant: 'acme', kind: 'App' as const, name: 'shop' };
  it('applies over nothing, over its own object, over what its inventory lists; never over somebody else\'s', () => {
    expect(applyDecision(undefined, me, false)).toEqual({ apply: true });
    expect(applyDecision(o('v1', 'ConfigMap', 'c', 'shop', owned()), me, false)).toEqual({ apply: true });
    expect(applyDecision(o('v1', 'ConfigMap', 'c', 'shop', {}), me, true)).toEqual({ apply: true });
    expect(applyDecision(o('v1', 'ConfigMap', 'c', 'shop', { team: 'db' }), me, false)).toEqual({ apply: false, message: NOT_OWNED });
    expect(applyDecision(o('v1', 'ConfigMap', 'c', 'shop', owned('shop', 'globex')), me, false)).toEqual({ apply: false, message: NOT_OWNED });
    expect(applyDecision(o('v1', 'ConfigMap', 'c', 'shop', owned('blog')), me, false)).toEqual({ apply: false, message: 'exists and is owned by app blog' });
  });
  it('prunes only what still carries its labels; Orphan on the live object (or the owner) keeps it', () => {
    expect(pruneDecision(o('v1', 'ConfigMap', 'c', 'shop', owned()), me)).toBe('delete');
    expect(pruneDecision(undefined, me)).toBe('gone');
    expect(pruneDecision(o('v1', 'ConfigMap', 'c', 'shop', { team: 'db' }), me)).toBe('not-owned');
    expect(pruneDecision(o('v1', 'ConfigMap', 'c', 'shop', owned('blog')), me)).toBe('not-owned');
    expect(pruneDecision(o('v1', 'ConfigMap', 'c', 'shop', owned(), { 'fleetplane.io/deletion-policy': 'Orphan' }), me)).toBe('orphan');
    expect(pruneDecision(o('v1', 'ConfigMap', 'c', 'shop', owned()), me, 'Orphan')).toBe('orphan');
    const going = o('v1', 'ConfigMap', 'c', 'shop', owned());
    going.metadata.deletionTimestamp = '2026-11-25T00:00:00Z';
    expect(pruneDecision(going, me)).toBe('gone');
  });
});

describe('desired state', () => {
  const cm = (name: string, labels: Record<string, string>, rev = '4') => ({ ...o('v1', 'ConfigMap', name, 'shop', labels, { 'fleetplane.io/revision': rev }) });
  it('groups objects under the owners the answer lists', () => {
    const d = parseDesired({
      revision: 9, objects: [cm('a', owned()), cm('n', { 'fleetplane.io/tenant': 'acme', 'fleetplane.io/namespace': 'team' })],
      apps: [{ kind: 'App', name: 'shop', revision: 4, generation: 2, deletionPolicy: 'Orphan' }, { kind: 'Namespace', name: 'team', revision: 1, generation: 1, deletionPolicy: 'Delete' }],
    });
    expect(d.tenant).toBe('acme');
    expect(d.owners.map((x) => [x.kind, x.name, x.revision, x.deletionPolicy, x.objects.length])).toEqual([['App', 'shop', 4, 'Orphan', 1], ['Namespace', 'team', 1, 'Delete', 1]]);
  });
  it('without `apps`, derives the owners from labels and annotations', () => {
    const d = parseDesired({ revision: 9, objects: [cm('a', owned()), { ...cm('b', owned()), metadata: { ...cm('b', owned()).metadata, annotations: { 'fleetplane.io/revision': '4', 'fleetplane.io/deletion-policy': 'Orphan' } } }] });
    expect(d.owners).toHaveLength(1);
    expect(d.owners[0]).toMatchObject({ kind: 'App', name: 'shop', revision: 4, objects: [{}, {}] });
  });
  it('an object without ownership labels, or of another tenant, is set apart, never applied', () => {
    const d = parseDesired({ revision: 1, objects: [cm('a', owned()), cm('b', {}), cm('c', owned('shop', 'globex'))] });
    expect(d.rejected.map((r) => r.object.metadata.name)).toEqual(['b', 'c']);
  });
  it('a malformed answer throws: it is never read as "nothing desired"', () => {
    expect(() => parseDesired({ revision: 3 })).toThrow();
    expect(() => parseDesired({ objects: [] })).toThrow();
    expect(() => parseDesired(undefined)).toThrow();
  });
});

describe('drift (divergence of desired from live)', () => {
  const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: owned() }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [{ containerPort: 8080 }] }] } } } };
  const live = structuredClone({ ...desired, metadata: { ...desired.metadata, uid: 'u', resourceVersion: '7' }, spec: { ...desired.spec, strategy: { type: 'RollingUpdate' }, template: { spec: { containers: [{ name: 'sidecar', image: 'x' }, { name: 'web', image: 'nginx:1', ports: [{ containerPort: 8080, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' }] } } }, status: { replicas: 3 } });
  it('fields the server or others added are not drift', () => {
    expect(divergence(desired, live)).toBeUndefined();
  });
  it('a changed field, a removed label or a missing container is', () => {
    expect(divergence(desired, { ...live, spec: { ...live.spec, replicas: 7 } })).toBe('/spec/replicas');
    expect(divergence(desired, { ...live, metadata: { ...live.metadata, labels: { 'fleetplane.io/tenant': 'acme' } } })).toBe('/metadata/labels/fleetplane.io~1app');
    expect(divergence(desired, { ...live, spec: { ...live.spec, template: { spec: { containers: [{ name: 'sidecar' }] } } } })).toBe('/spec/template/spec/containers/0');
  });
  it('a Secret given with stringData is compared as the server stores it (folded into data)', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: owned() }, stringData: { password: 'hunter2' }, data: { user: 'YWRtaW4=' } };
    const stored = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: owned(), uid: 'u' }, type: 'Opaque', data: { user: 'YWRtaW4=', password: Buffer.from('hunter2').toString('base64') } };
    expect(divergence(secret, stored)).toBeUndefined();
    expect(divergence(secret, { ...stored, data: { ...stored.data, password: Buffer.from('changed').toString('base64') } })).toBe('/data/password');
  });
});
