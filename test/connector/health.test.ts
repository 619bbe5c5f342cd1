import { describe, expect, it } from 'vitest';
import { healthOf } from '../../connectors/health/index.js';
import type { KubeObject } from '../../connectors/kube/types.js';

const obj = (apiVersion: string, kind: string, rest: Partial<KubeObject> & { generation?: number } = {}): KubeObject => {
  const { generation, ...o } = rest;
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'shop', ...(generation !== undefined ? { generation } : {}) }, ...o } as KubeObject;
};

const deployment = (status: Record<string, unknown>, spec: Record<string, unknown> = { replicas: 3 }, generation = 2) =>
  obj('apps/v1', 'Deployment', { generation, spec, status });
const available = { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' };
const progressed = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' };

describe('Deployment', () => {
  it('Healthy when the newest generation is observed and every replica is updated and available', () => {
    expect(healthOf(deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [available, progressed] }))).toEqual({ health: 'Healthy' });
  });
  it('Progressing while observedGeneration is behind, even if the old replicas look fine', () => {
    const h = healthOf(deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }));
    expect(h.health).toBe('Progressing');
    expect(h.message).toMatch(/generation 2 is not yet observed/);
  });
  it('Progressing while new replicas roll out, old ones terminate, or updated ones are not available', () => {
    expect(healthOf(deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 3 })).message).toMatch(/1 of 3 new replicas/);
    expect(healthOf(deployment({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).message).toMatch(/1 old replicas/);
    expect(healthOf(deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message).toMatch(/2 of 3 updated replicas are available/);
  });
  it('Degraded when the progress deadline is exceeded', () => {
    const h = healthOf(deployment({
      observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "x-5d4f" has timed out progressing.' }],
    }));
    expect(h).toEqual({ health: 'Degraded', message: 'ReplicaSet "x-5d4f" has timed out progressing.' });
  });
  it('defaults spec.replicas to 1; scaled to zero with nothing running is Healthy', () => {
    expect(healthOf(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }, {})).health).toBe('Healthy');
    expect(healthOf(deployment({ observedGeneration: 2 }, { replicas: 0 })).health).toBe('Healthy');
  });
  it('Progressing before the controller wrote any status', () => {
    expect(healthOf(deployment({}, { replicas: 1 }, 1)).health).toBe('Progressing');
  });
});

describe('StatefulSet', () => {
  const sts = (status: Record<string, unknown>, spec: Record<string, unknown> = { replicas: 3 }) => obj('apps/v1', 'StatefulSet', { generation: 4, spec, status });
  it('Healthy when ready and on the update revision', () => {
    expect(healthOf(sts({ observedGeneration: 4, replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentRevision: 'db-7c', updateRevision: 'db-7c' })).health).toBe('Healthy');
  });
  it('Progressing while pods are not ready or a rolling update is under way', () => {
    expect(healthOf(sts({ observedGeneration: 4, replicas: 3, readyReplicas: 1 })).message).toMatch(/2 pods to be ready/);
    expect(healthOf(sts({ observedGeneration: 4, replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'db-6b', updateRevision: 'db-7c' })).message).toMatch(/rolling update/);
    expect(healthOf(sts({ observedGeneration: 3, replicas: 3, readyReplicas: 3 })).health).toBe('Progressing');
  });
  it('a partitioned rollout is done when the pods above the partition are updated', () => {
    const spec = { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } };
    expect(healthOf(sts({ observedGeneration: 4, replicas: 3, readyReplicas: 3, updatedReplicas: 0 }, spec)).health).toBe('Progressing');
    expect(healthOf(sts({ observedGeneration: 4, replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' }, spec)).health).toBe('Healthy');
  });
});

describe('DaemonSet', () => {
  const ds = (status: Record<string, unknown>) => obj('apps/v1', 'DaemonSet', { generation: 1, spec: {}, status });
  it('Healthy when every scheduled pod is updated and available; Progressing otherwise', () => {
    expect(healthOf(ds({ observedGeneration: 1, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 })).health).toBe('Healthy');
    expect(healthOf(ds({ observedGeneration: 1, desiredNumberScheduled: 5, updatedNumberScheduled: 3, numberAvailable: 5 })).message).toMatch(/3 of 5 updated/);
    expect(healthOf(ds({ observedGeneration: 1, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 4 })).message).toMatch(/4 of 5/);
    expect(healthOf(ds({})).health).toBe('Progressing');
  });
});

describe('Job and CronJob', () => {
  it('a Job: Complete → Healthy, Failed → Degraded with its message, running → Progressing', () => {
    const job = (status: Record<string, unknown>) => obj('batch/v1', 'Job', { spec: {}, status });
    expect(healthOf(job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] })).health).toBe('Healthy');
    expect(healthOf(job({ failed: 6, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] })))
      .toEqual({ health: 'Degraded', message: 'Job has reached the specified backoff limit' });
    expect(healthOf(job({ active: 1 })).message).toMatch(/running: 1 active/);
  });
  it('a CronJob: Healthy once observed; Degraded when the last run it scheduled never succeeded', () => {
    const cj = (status: Record<string, unknown>) => obj('batch/v1', 'CronJob', { spec: { schedule: '*/5 * * * *' }, status });
    expect(healthOf(cj({ lastScheduleTime: '2026-11-25T10:00:00Z', lastSuccessfulTime: '2026-11-25T10:00:30Z' })).health).toBe('Healthy');
    expect(healthOf(cj({ lastScheduleTime: '2026-11-25T10:05:00Z', lastSuccessfulTime: '2026-11-25T10:00:30Z' })).health).toBe('Degraded');
    expect(healthOf(cj({ active: [{ name: 'run' }], lastScheduleTime: '2026-11-25T10:05:00Z', lastSuccessfulTime: '2026-11-25T10:00:30Z' })).health).toBe('Healthy');
  });
  it('suspended on purpose is Suspended: a CronJob or Job with suspend: true, a Job its controller marked Suspended, a paused Deployment', () => {
    expect(healthOf(obj('batch/v1', 'CronJob', { spec: { schedule: '@daily', suspend: true }, status: {} }))).toEqual({ health: 'Suspended', message: 'CronJob is suspended' });
    expect(healthOf(obj('batch/v1', 'Job', { spec: { suspend: true }, status: {} })).health).toBe('Suspended');
    expect(healthOf(obj('batch/v1', 'Job', { spec: {}, status: { conditions: [{ type: 'Suspended', status: 'True' }] } })).health).toBe('Suspended');
    const paused = deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 3 }, { replicas: 3, paused: true });
    expect(healthOf(paused)).toEqual({ health: 'Suspended', message: 'Deployment is paused' });
    // a suspended CronJob whose newest spec is not yet observed is still Progressing
    expect(healthOf(obj('batch/v1', 'CronJob', { generation: 3, spec: { suspend: true }, status: { observedGeneration: 2 } })).health).toBe('Progressing');
  });
});

describe('Service, Ingress, PVC, Namespace, ConfigMap, Secret', () => {
  it('a LoadBalancer Service needs an ingress address; a ClusterIP one is Healthy as it exists', () => {
    expect(healthOf(obj('v1', 'Service', { spec: { type: 'ClusterIP' }, status: {} })).health).toBe('Healthy');
    expect(healthOf(obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } })).health).toBe('Progressing');
    expect(healthOf(obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ hostname: 'a.elb.example' }] } } })).health).toBe('Healthy');
  });
  it('an Ingress waits for an address', () => {
    expect(healthOf(obj('networking.k8s.io/v1', 'Ingress', { spec: {}, status: { loadBalancer: {} } })).health).toBe('Progressing');
    expect(healthOf(obj('networking.k8s.io/v1', 'Ingress', { spec: {}, status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } } })).health).toBe('Healthy');
  });
  it('a PVC is Healthy when Bound, Degraded when Lost, else Progressing', () => {
    expect(healthOf(obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } })).health).toBe('Healthy');
    expect(healthOf(obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Lost' } })).health).toBe('Degraded');
    expect(healthOf(obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } })).health).toBe('Progressing');
  });
  it('a Namespace is Healthy when Active, Progressing while Terminating; ConfigMaps and Secrets exist → Healthy', () => {
    expect(healthOf(obj('v1', 'Namespace', { status: { phase: 'Active' } })).health).toBe('Healthy');
    expect(healthOf(obj('v1', 'Namespace', { status: { phase: 'Terminating' } })).health).toBe('Progressing');
    expect(healthOf(obj('v1', 'ConfigMap', { data: {} })).health).toBe('Healthy');
    expect(healthOf(obj('v1', 'Secret', { data: {} })).health).toBe('Healthy');
  });
  it('not found is Missing; being deleted is Progressing', () => {
    expect(healthOf(undefined).health).toBe('Missing');
    const going = obj('v1', 'ConfigMap');
    going.metadata.deletionTimestamp = '2026-11-25T10:00:00Z';
    expect(healthOf(going).health).toBe('Progressing');
  });
});

describe('any other kind, by its conditions', () => {
  const cr = (conditions?: unknown[], generation = 1, observedGeneration = 1) =>
    obj('example.com/v1', 'Widget', { generation, status: { observedGeneration, ...(conditions ? { conditions } : {}) } });
  it('Ready True → Healthy; Ready False → Progressing, or Degraded when it says it failed', () => {
    expect(healthOf(cr([{ type: 'Ready', status: 'True' }])).health).toBe('Healthy');
    expect(healthOf(cr([{ type: 'Ready', status: 'False', reason: 'Provisioning' }])).health).toBe('Progressing');
    expect(healthOf(cr([{ type: 'Ready', status: 'False', reason: 'ProvisioningFailed', message: 'quota' }]))).toEqual({ health: 'Degraded', message: 'quota' });
  });
  it('Stalled → Degraded, Reconciling → Progressing (kstatus conventions); no conditions → Healthy; generation behind → Progressing', () => {
    expect(healthOf(cr([{ type: 'Stalled', status: 'True', message: 'bad spec' }])).health).toBe('Degraded');
    expect(healthOf(cr([{ type: 'Reconciling', status: 'True' }, { type: 'Ready', status: 'True' }])).health).toBe('Progressing');
    expect(healthOf(cr()).health).toBe('Healthy');
    expect(healthOf(cr([{ type: 'Ready', status: 'True' }], 2, 1)).health).toBe('Progressing');
    expect(healthOf(cr([{ type: 'Available', status: 'True' }])).health).toBe('Healthy');
  });
});
