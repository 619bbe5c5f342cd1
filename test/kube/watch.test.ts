import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesObjectApi, Watch } from '@kubernetes/client-node';
import { startKubeServer } from './server.js';
import { apply, configMap, deployment, eventually, objectApi } from './helpers.js';

let server: Awaited<ReturnType<typeof startKubeServer>>;
let api: KubernetesObjectApi;
beforeAll(async () => {
  server = await startKubeServer({ token: 'tok', historyLimit: 50, bookmarkIntervalMs: 100 });
  api = objectApi(server);
});
afterAll(() => server.close());

interface Seen { type: string; object: any }

/** Starts a watch with the real client; resolves the events seen so far and whether `done` ran. */
async function watch(path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: Seen[] = [];
  const state = { done: false, err: undefined as unknown };
  const controller = await new Watch(server.kubeConfigObject()).watch(path, query,
    (type, object) => events.push({ type, object }),
    (err) => { state.done = true; state.err = err; });
  return { events, state, stop: () => controller.abort() };
}

const names = (events: Seen[]) => events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name}`);

describe('watch', () => {
  it('replays the changes after a resourceVersion, in order, then streams new ones', async () => {
    const start: any = await apply(api, configMap('w1', 'default', { v: '1' }), 't');
    await apply(api, configMap('w1', 'default', { v: '2' }), 't');
    await apply(api, configMap('w2', 'default', { v: '1' }), 't');
    const w = await watch('/api/v1/namespaces/default/configmaps', { resourceVersion: start.metadata.resourceVersion });
    await api.delete(configMap('w1', 'default', {}));
    await eventually(() => w.events.length >= 3);
    w.stop();
    expect(names(w.events)).toEqual(['MODIFIED w1', 'ADDED w2', 'DELETED w1']);
    expect(w.events[0]!.object.data).toEqual({ v: '2' });
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(rvs[0]).toBeGreaterThan(Number(start.metadata.resourceVersion));
  });

  it('starts with a synthetic ADDED per current object when no resourceVersion is given', async () => {
    await apply(api, configMap('existing', 'kube-public', { a: 'b' }), 't');
    const w = await watch('/api/v1/namespaces/kube-public/configmaps', {});
    await eventually(() => w.events.length >= 1);
    w.stop();
    expect(names(w.events)).toEqual(['ADDED existing']);
  });

  it('sends bookmarks carrying only the current resourceVersion when asked', async () => {
    const w = await watch('/apis/apps/v1/deployments', { allowWatchBookmarks: true, resourceVersion: (await api.list('v1', 'Namespace') as any).metadata.resourceVersion });
    const bookmark = await eventually(() => w.events.find((e) => e.type === 'BOOKMARK'));
    w.stop();
    expect(bookmark.object).toEqual({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
  });

  it('ends the initial state of a streaming list (sendInitialEvents) with an initial-events-end bookmark', async () => {
    await apply(api, configMap('streamed', 'kube-node-lease', {}), 't');
    const w = await watch('/api/v1/namespaces/kube-node-lease/configmaps', {
      sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: 'NotOlderThan', resourceVersion: '',
    });
    await eventually(() => w.events.length >= 2);
    w.stop();
    expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'streamed' } } });
    expect(w.events[1]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
  });

  it('filters by label selector, turning "stopped matching" into DELETED and "started matching" into ADDED', async () => {
    const w = await watch('/api/v1/configmaps', { labelSelector: 'watched=yes', resourceVersion: (await api.list('v1', 'ConfigMap') as any).metadata.resourceVersion });
    await apply(api, configMap('sel', 'default', {}, { watched: 'yes' }), 't');
    await apply(api, configMap('other', 'default', {}, { watched: 'no' }), 't');
    await apply(api, configMap('sel', 'default', {}, { watched: 'no' }), 't');
    await apply(api, configMap('other', 'default', {}, { watched: 'yes' }), 't');
    await eventually(() => w.events.length >= 3);
    w.stop();
    expect(names(w.events)).toEqual(['ADDED sel', 'DELETED sel', 'ADDED other']);
  });

  it('shows controller status writes as MODIFIED with a new resourceVersion and the same generation', async () => {
    const rv = (await api.list('apps/v1', 'Deployment', 'default') as any).metadata.resourceVersion;
    const w = await watch('/apis/apps/v1/namespaces/default/deployments', { resourceVersion: rv });
    await apply(api, deployment('watched'), 't');
    const ready = await eventually(() => w.events.find((e) => e.type === 'MODIFIED' && e.object.status?.readyReplicas === 2));
    w.stop();
    const added = w.events.find((e) => e.type === 'ADDED')!;
    expect(ready.object.metadata.generation).toBe(added.object.metadata.generation);
    expect(Number(ready.object.metadata.resourceVersion)).toBeGreaterThan(Number(added.object.metadata.resourceVersion));
  });

  it('answers a resourceVersion older than the kept history with an ERROR 410 Expired, then ends', async () => {
    const old: any = await apply(api, configMap('churn', 'default', { n: '0' }), 't');
    for (let i = 1; i <= 60; i++) await apply(api, configMap('churn', 'default', { n: String(i) }), 't');
    const w = await watch('/api/v1/namespaces/default/configmaps', { resourceVersion: old.metadata.resourceVersion });
    await eventually(() => w.state.done);
    expect(w.events).toHaveLength(1);
    expect(w.events[0]!.type).toBe('ERROR');
    expect(w.events[0]!.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(w.events[0]!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('drops the subscription when the client goes away', async () => {
    const own = await startKubeServer();
    try {
      const controller = await new Watch(own.kubeConfigObject()).watch('/api/v1/configmaps', {}, () => {}, () => {});
      // The controller of the cluster subscribes too; the watch adds one more.
      await eventually(() => own.kubeStore.hub.watcherCount === 2);
      controller.abort();
      await eventually(() => own.kubeStore.hub.watcherCount === 1);
    } finally {
      await own.close();
    }
  });

  it('ends after timeoutSeconds, and when the server closes', async () => {
    const timed = await watch('/api/v1/namespaces', { timeoutSeconds: 1 });
    await eventually(() => timed.state.done, 3000);

    const other = await startKubeServer();
    const events: string[] = [];
    let done = false;
    await new Watch(other.kubeConfigObject()).watch('/api/v1/namespaces', {}, (t) => events.push(t), () => { done = true; });
    await eventually(() => events.length >= 4);
    await other.close();
    await eventually(() => done);
  });
});
