import { afterEach, describe, expect, it } from 'vitest';
import { AppsV1Api, BatchV1Api, CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import { startKubeServer, type KubeServer } from './server.js';
import { apply, deployment, eventually, objectApi, sleep } from './helpers.js';

let server: KubeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);
const dep = (s: KubeServer, name: string) => s.store.get('apps/v1', 'Deployment', 'default', name);

describe('controller', () => {
  it('makes an applied Deployment Available for its generation, and again after a change', async () => {
    server = await startKubeServer();
    const api = objectApi(server);
    await apply(api, deployment('web', 'default', { replicas: 3 }), 'fleet');
    const apps = server.kubeConfigObject().makeApiClient(AppsV1Api);
    const ready = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      return d.status?.observedGeneration === 1 && d;
    });
    expect(ready.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(condition(ready, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition(ready, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });

    await apply(api, deployment('web', 'default', { replicas: 3, image: 'nginx:2' }), 'fleet');
    const rolled = await eventually(() => dep(server!, 'web').status.observedGeneration === 2 && dep(server!, 'web'));
    expect(rolled.metadata.generation).toBe(2);
    expect(rolled.status.readyReplicas).toBe(3);
  });

  it('reports progress first and readiness after readyDelayMs', async () => {
    server = await startKubeServer({ readyDelayMs: 150 });
    await apply(objectApi(server), deployment('slow'), 'fleet');
    const progressing = await eventually(() => dep(server!, 'slow').status?.observedGeneration === 1 && dep(server!, 'slow'));
    expect(progressing.status.readyReplicas).toBeUndefined();
    expect(condition(progressing, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(condition(progressing, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    const ready = await eventually(() => dep(server!, 'slow').status.readyReplicas === 2 && dep(server!, 'slow'));
    expect(condition(ready, 'Available')!.status).toBe('True');
  });

  it('with auto off, waits for makeReady; fail pins ProgressDeadlineExceeded until makeReady', async () => {
    server = await startKubeServer({ autoReady: false });
    expect(server.controller.auto).toBe(false);
    await apply(objectApi(server), deployment('manual'), 'fleet');
    await eventually(() => dep(server!, 'manual').status?.observedGeneration === 1);
    await sleep(50);
    expect(dep(server, 'manual').status.readyReplicas).toBeUndefined();

    server.controller.fail('Deployment', 'default', 'manual', 'image pull backoff');
    const failed = dep(server, 'manual');
    expect(condition(failed, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'image pull backoff' });
    expect(failed.metadata.generation).toBe(1);

    server.controller.auto = true;
    await apply(objectApi(server), deployment('manual', 'default', { image: 'nginx:2' }), 'fleet');
    await eventually(() => dep(server!, 'manual').status.observedGeneration === 2);
    expect(condition(dep(server, 'manual'), 'Progressing')!.reason).toBe('ProgressDeadlineExceeded');

    server.controller.makeReady('Deployment', 'default', 'manual');
    expect(condition(dep(server, 'manual'), 'Progressing')!.reason).toBe('NewReplicaSetAvailable');
  });

  it('fills StatefulSet and DaemonSet counts, and can hold readyReplicas below the desired count', async () => {
    server = await startKubeServer();
    const api = objectApi(server);
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    await apply(api, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'x' } }, template } }, 'f');
    await apply(api, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } }, template } }, 'f');
    const sts = await eventually(() => server!.store.get('apps/v1', 'StatefulSet', 'default', 'db')?.status?.readyReplicas === 2 && server!.store.get('apps/v1', 'StatefulSet', 'default', 'db'));
    expect(sts.status).toMatchObject({ observedGeneration: 1, replicas: 2, currentReplicas: 2, updatedReplicas: 2 });
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    const ds = await eventually(() => server!.store.get('apps/v1', 'DaemonSet', 'default', 'agent')?.status?.numberReady === 1 && server!.store.get('apps/v1', 'DaemonSet', 'default', 'agent'));
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1, observedGeneration: 1 });

    server.controller.fail('StatefulSet', 'default', 'db');
    expect(server.store.get('apps/v1', 'StatefulSet', 'default', 'db').status.readyReplicas).toBeUndefined();
  });

  it('completes or fails Jobs, binds PVCs, addresses Services and Ingresses, keeps Namespaces Active', async () => {
    server = await startKubeServer();
    const kc = server.kubeConfigObject();
    const api = objectApi(server);
    const jobSpec = { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } };
    await apply(api, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'ok', namespace: 'default' }, spec: jobSpec }, 'f');
    await apply(api, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bad', namespace: 'default' }, spec: { ...jobSpec, backoffLimit: 2 } }, 'f');
    server.controller.fail('Job', 'default', 'bad');
    const batch = kc.makeApiClient(BatchV1Api);
    const ok = await eventually(async () => condition(await batch.readNamespacedJob({ name: 'ok', namespace: 'default' }), 'Complete'));
    expect(ok.status).toBe('True');
    await sleep(20);
    const bad = await batch.readNamespacedJob({ name: 'bad', namespace: 'default' });
    expect(condition(bad, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(bad.status?.failed).toBe(3);

    await apply(api, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }, 'f');
    const core = kc.makeApiClient(CoreV1Api);
    const pvc = await eventually(async () => { const p = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' }); return p.status?.phase === 'Bound' && p; });
    expect(pvc.status?.capacity).toEqual({ storage: '5Gi' });

    await apply(api, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] } }, 'f');
    const svc = await eventually(async () => { const s = await core.readNamespacedService({ name: 'front', namespace: 'default' }); return (s.status?.loadBalancer?.ingress?.length ?? 0) > 0 && s; });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    // Re-applying without the allocated fields keeps them: nobody owns them, so nobody removes them.
    await apply(api, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'y' }, ports: [{ port: 80 }] } }, 'f');
    expect(server.store.get('v1', 'Service', 'default', 'front').spec.clusterIP).toBe(svc.spec?.clusterIP);

    await apply(api, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec: { rules: [{ host: 'a.example' }] } }, 'f');
    const net = kc.makeApiClient(NetworkingV1Api);
    const ing = await eventually(async () => { const i = await net.readNamespacedIngress({ name: 'web', namespace: 'default' }); return i.status?.loadBalancer?.ingress?.[0]?.ip; });
    expect(ing).toMatch(/^203\.0\.113\.\d+$/);

    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-1']);
    expect(nodes.items[0]!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    const ns = await core.createNamespace({ body: { metadata: { name: 'fresh' } } });
    expect(ns.status?.phase).toBe('Active');
    expect(ns.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': 'fresh' });
  });

  it('lets a controller write status through the /status subresource without moving generation', async () => {
    server = await startKubeServer({ autoReady: false });
    await apply(objectApi(server), deployment('sub'), 'fleet');
    const res = await fetch(`${server.url}/apis/apps/v1/namespaces/default/deployments/sub/status?fieldManager=rollout-checker`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { readyReplicas: 1 }, spec: { replicas: 9 } }),
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.status.readyReplicas).toBe(1);
    expect(body.spec.replicas).toBe(2);
    expect(body.metadata.generation).toBe(1);
    expect(body.metadata.managedFields.find((m: any) => m.manager === 'rollout-checker'))
      .toMatchObject({ operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:readyReplicas': {} } } });
  });
});
