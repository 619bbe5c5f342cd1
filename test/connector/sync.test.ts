import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDesired } from '../../connectors/desired.js';
import { KubeClient } from '../../connectors/kube/client.js';
import { kubeConfigFromText } from '../../connectors/kube/kubeconfig.js';
import type { KubeObject } from '../../connectors/kube/types.js';
import { silentLog } from '../../connectors/log.js';
import { createMetrics } from '../../connectors/metrics.js';
import { Reporter, type StatusReport } from '../../connectors/reporter.js';
import { Syncer } from '../../connectors/sync.js';
import { healthOf } from '../../connectors/health/index.js';
import { startCluster } from './support.js';

let c: Awaited<ReturnType<typeof startCluster>>;
beforeAll(async () => {
  c = await startCluster();
  await c.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fleetplane-system' } });
});
afterAll(() => c.close());

const NS = 'fleetplane-system';
const labels = (app: string) => ({ 'fleetplane.io/tenant': 'acme', 'fleetplane.io/app': app });
const cm = (name: string, app: string, data: Record<string, string> = { k: 'v' }, namespace = 'shop', extra: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: labels(app), annotations: { 'fleetplane.io/revision': '1', ...extra } }, data,
});
const desired = (revision: number, objects: KubeObject[], apps?: { name: string; deletionPolicy?: 'Delete' | 'Orphan' }[]) =>
  parseDesired({ revision, objects, ...(apps ? { apps: apps.map((a) => ({ kind: 'App', name: a.name, revision, generation: revision, deletionPolicy: a.deletionPolicy ?? 'Delete' })) } : {}) });

function syncer(watched?: (ref: { apiVersion: string; kind: string }) => boolean) {
  const reports: StatusReport[] = [];
  const metrics = createMetrics();
  const reporter = new Reporter(async (r) => void reports.push(r), 5);
  return { s: new Syncer(c.kube, 'acme', NS, reporter, metrics, silentLog, watched), reporter, metrics, reports };
}
const readsOf = async (metrics: ReturnType<typeof createMetrics>) =>
  Object.fromEntries((await metrics.healthReads.get()).values.map((v) => [v.labels.read, v.value]));
const webDeployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'shop', labels: labels(name), annotations: { 'fleetplane.io/revision': '1' } },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'w', image: 'nginx:1.27' }] } } },
});
const deploymentCalls = (from: number, name: string) =>
  c.server.requests.slice(from).filter((q) => q.path.includes(`/deployments/${name}`)).map((q) => q.method);
const live = (name: string, namespace = 'shop') => c.server.store.get('v1', 'ConfigMap', namespace, name);

describe('sync: apply, inventory, prune', () => {
  it('applies cluster-scoped first, creates the target namespace bare, records an inventory, prunes what is no longer desired', async () => {
    const { s } = syncer();
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: labels('shop') } };
    const r = await s.sync(desired(1, [cm('a', 'shop'), cm('b', 'shop'), { ...cm('in-a', 'shop'), metadata: { ...cm('in-a', 'shop').metadata, namespace: 'team-a' } }, ns], [{ name: 'shop' }]));
    expect(r).toMatchObject({ complete: true, applied: 4, pruned: 0 });
    const applies = c.server.requests.filter((q) => q.method === 'PATCH' && !q.path.includes(NS));
    expect(applies[0]!.path).toBe('/api/v1/namespaces/team-a');
    expect(applies.every((q) => q.fieldManager === 'fleetplane-connector')).toBe(true);
    expect(c.server.store.get('v1', 'Namespace', undefined, 'shop').metadata.labels?.['fleetplane.io/app']).toBeUndefined();
    const inv = c.server.store.get('v1', 'ConfigMap', NS, 'fleetplane-inventory-app-shop');
    expect(JSON.parse(inv.data.entries).map((e: { id: string }) => e.id)).toEqual(['_team-a__Namespace', 'shop_a__ConfigMap', 'shop_b__ConfigMap', 'team-a_in-a__ConfigMap']);

    await s.sync(desired(2, [cm('a', 'shop', { k: 'v2' }), ns], [{ name: 'shop' }]));
    expect(live('a').data).toEqual({ k: 'v2' });
    expect(live('b')).toBeUndefined();
    expect(live('in-a', 'team-a')).toBeUndefined();
    expect(c.server.store.get('v1', 'Namespace', undefined, 'shop')).toBeTruthy();
  });

  it('a restarted connector (fresh Syncer) prunes from the inventory kept in the cluster', async () => {
    await syncer().s.sync(desired(1, [cm('r1', 'blog'), cm('r2', 'blog')], [{ name: 'blog' }]));
    const again = syncer();
    const r = await again.s.sync(desired(2, [cm('r1', 'blog')], [{ name: 'blog' }]));
    expect(r.pruned).toBe(1);
    expect(live('r2')).toBeUndefined();
    expect(live('r1')).toBeTruthy();
  });

  it('never overwrites an object it does not own: reported Degraded, left as it was, never pruned', async () => {
    await c.kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'shop', labels: { team: 'db' } }, data: { keep: 'me' } }, true, 'kubectl');
    const { s, reporter } = syncer();
    await s.sync(desired(1, [cm('theirs', 'wiki', { k: 'fleet' }), cm('mine', 'wiki')], [{ name: 'wiki' }]));
    expect(live('theirs').data).toEqual({ keep: 'me' });
    expect(reporter.healthOf({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'theirs' })).toMatchObject({ health: 'Degraded', message: 'exists and is not owned by Fleetplane' });
    expect(reporter.healthOf({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'mine' })).toMatchObject({ health: 'Healthy' });
    await s.sync(desired(2, [], [{ name: 'wiki' }]));
    expect(live('theirs').data).toEqual({ keep: 'me' });
    expect(live('mine')).toBeUndefined();
    reporter.stop();
  });

  it('an object owned by another app is not taken over', async () => {
    const { s, reporter } = syncer();
    await s.sync(desired(1, [cm('shared', 'one'), cm('shared', 'two')]));
    expect(live('shared').metadata.labels['fleetplane.io/app']).toBe('one');
    const report = reporter.build();
    expect(report.apps.find((a) => a.name === 'one')!.resources[0]).toMatchObject({ health: 'Healthy' });
    expect(report.apps.find((a) => a.name === 'two')!.resources[0]).toMatchObject({ health: 'Degraded', message: 'also desired by App/one; not applied' });
    reporter.stop();
  });

  it('a workload made ready while the sync runs is reported Healthy, not left at the health its apply answered', async () => {
    const { s, reporter } = syncer();
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: labels('ready'), annotations: { 'fleetplane.io/revision': '1' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    };
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    // the apply answers before the controller acts: Progressing; the controller makes it available right after
    await s.sync(desired(1, [deployment], [{ name: 'ready' }]));
    expect(c.server.store.get('apps/v1', 'Deployment', 'shop', 'web').status?.availableReplicas).toBe(1);
    // no watch here: only the sync itself can have seen that
    expect(reporter.healthOf(ref)).toMatchObject({ health: 'Healthy' });
    reporter.stop();
  });

  it('with the watch\'s events during the sync, a workload made ready is taken from them, not read again', async () => {
    const { s, reporter, metrics } = syncer();
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'watched', namespace: 'shop', labels: labels('watched'), annotations: { 'fleetplane.io/revision': '1' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'w', image: 'nginx:1.27' }] } } },
    };
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'watched' };
    // the drift watch's part: every change of the Deployment, in order, as it happens
    const stop = c.server.kubeStore.onChange((ch: { object: KubeObject }) => {
      if (ch.object.kind === 'Deployment' && ch.object.metadata.name === 'watched') s.observe(ch.object, healthOf(ch.object));
    });
    const seen = c.server.requests.length;
    await s.sync(desired(1, [deployment], [{ name: 'watched' }]));
    stop();
    expect(reporter.healthOf(ref)).toMatchObject({ health: 'Healthy' });
    // read before the apply (is it ours to take?), never after it
    const calls = c.server.requests.slice(seen).filter((q) => q.path.includes('/deployments/watched')).map((q) => q.method);
    expect(calls).toEqual(['GET', 'PATCH']);
    const reads = (await metrics.healthReads.get()).values.map((v) => [v.labels.read, v.value]);
    expect(reads).toEqual([['watched', 1], ['awaited', 0], ['get', 0]]);
    reporter.stop();
  });

  it('a watched kind whose events have not come yet is left to them: not read again', async () => {
    const { s, reporter, metrics } = syncer((ref) => ref.kind === 'Deployment');
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'awaited' };
    const seen = c.server.requests.length;
    await s.sync(desired(1, [webDeployment('awaited')], [{ name: 'awaited' }]));
    expect(deploymentCalls(seen, 'awaited')).toEqual(['GET', 'PATCH']);
    // what the apply answered, until the watch's events (the apply's, the controller's) are observed
    expect(reporter.healthOf(ref)).toMatchObject({ health: 'Progressing' });
    expect(await readsOf(metrics)).toEqual({ watched: 0, awaited: 1, get: 0 });
    reporter.stop();
  });

  it('a watched kind with an event other than the apply\'s during the sync (a list\'s, maybe newer) is read again', async () => {
    const { s, reporter, metrics } = syncer(() => true);
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'relisted' };
    const stop = c.server.kubeStore.onChange((ch: { object: KubeObject }) => {
      if (ch.object.kind !== 'Deployment' || ch.object.metadata.name !== 'relisted') return;
      const listed = { ...ch.object, metadata: { ...ch.object.metadata, resourceVersion: `${ch.object.metadata.resourceVersion}-listed` } };
      s.observe(listed, { health: 'Progressing' });
    });
    const seen = c.server.requests.length;
    await s.sync(desired(1, [webDeployment('relisted')], [{ name: 'relisted' }]));
    stop();
    expect(deploymentCalls(seen, 'relisted')).toEqual(['GET', 'PATCH', 'GET']);
    expect(reporter.healthOf(ref)).toMatchObject({ health: 'Healthy' });
    expect(await readsOf(metrics)).toEqual({ watched: 0, awaited: 0, get: 1 });
    reporter.stop();
  });

  it('deletion policy Orphan, as applied on the object, keeps it when the app goes away', async () => {
    const { s, metrics } = syncer();
    await s.sync(desired(1, [cm('o1', 'keep', {}, 'shop', { 'fleetplane.io/deletion-policy': 'Orphan' }), cm('o2', 'gone')], [{ name: 'keep', deletionPolicy: 'Orphan' }, { name: 'gone' }]));
    await s.sync(desired(2, [], []));
    expect(live('o1')).toBeTruthy();
    expect(live('o2')).toBeUndefined();
    expect((await metrics.orphaned.get()).values[0]!.value).toBe(1);
    expect(c.server.store.get('v1', 'ConfigMap', NS, 'fleetplane-inventory-app-keep')).toBeUndefined();
  });

  it('an object whose owner labels were removed by hand is not pruned', async () => {
    const { s } = syncer();
    await s.sync(desired(1, [cm('relabel', 'hand')], [{ name: 'hand' }]));
    await c.kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'relabel', namespace: 'shop', labels: { 'fleetplane.io/app': 'other' } } }, true, 'fleetplane-connector');
    await s.sync(desired(2, [], [{ name: 'hand' }]));
    expect(live('relabel')).toBeTruthy();
  });

  it('a kind the cluster does not serve is Missing, and the sync still completes for the rest', async () => {
    const { s, reporter } = syncer();
    const gadget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop', labels: labels('odd') } };
    const r = await s.sync(desired(1, [gadget, cm('fine', 'odd')], [{ name: 'odd' }]));
    expect(r.complete).toBe(true);
    expect(reporter.healthOf({ apiVersion: 'example.com/v1', kind: 'Gadget', namespace: 'shop', name: 'g' })).toMatchObject({ health: 'Missing', message: 'the cluster does not serve Gadget in example.com/v1' });
    expect(live('fine')).toBeTruthy();
    reporter.stop();
  });

  it('when the API server is unreachable mid-sync, nothing is pruned', async () => {
    const { s } = syncer();
    await s.sync(desired(1, [cm('p1', 'flaky'), cm('p2', 'flaky')], [{ name: 'flaky' }]));
    const dead = await startCluster();
    const port = new URL(dead.server.url).port;
    await dead.close();
    const broken = new Syncer(new KubeClient(kubeConfigFromText(dead.server.kubeconfig())), 'acme', NS, new Reporter(async () => {}), createMetrics(), silentLog);
    await expect(broken.sync(desired(2, [], [{ name: 'flaky' }]))).rejects.toThrow();
    expect(live('p1')).toBeTruthy();
    expect(live('p2')).toBeTruthy();
  });
});
