import type { KubeObject } from '../kube/types.js';
import { conditionOf, degraded, generationPending, healthy, num, progressing, suspended, type HealthResult } from './types.js';

/** kstatus deploymentConditions + Argo CD's deployment check. */
export function deploymentHealth(o: KubeObject): HealthResult {
  const pending = generationPending(o);
  if (pending) return pending;
  if (o.status?.observedGeneration === undefined && o.metadata.generation !== undefined) {
    return progressing('Deployment status is not yet reported');
  }
  const progressingCond = conditionOf(o, 'Progressing');
  if (progressingCond?.reason === 'ProgressDeadlineExceeded') {
    return degraded(progressingCond.message ?? `Deployment ${o.metadata.name} exceeded its progress deadline`);
  }
  const replicaFailure = conditionOf(o, 'ReplicaFailure');
  if (replicaFailure?.status === 'True') return degraded(replicaFailure.message ?? 'ReplicaFailure');
  // paused on purpose (Argo CD: Suspended), not stuck
  if (o.spec?.paused === true) return suspended('Deployment is paused');
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  const updated = num(s.updatedReplicas);
  const total = num(s.replicas);
  const available = num(s.availableReplicas);
  if (updated < want) return progressing(`Waiting for rollout to finish: ${updated} of ${want} new replicas have been updated`);
  if (total > updated) return progressing(`Waiting for rollout to finish: ${total - updated} old replicas are pending termination`);
  if (available < updated) return progressing(`Waiting for rollout to finish: ${available} of ${updated} updated replicas are available`);
  const availableCond = conditionOf(o, 'Available');
  if (availableCond && availableCond.status === 'False') return progressing(availableCond.message ?? 'Deployment is not available');
  return healthy();
}

/** kstatus stsConditions + Argo CD's statefulset check. */
export function statefulSetHealth(o: KubeObject): HealthResult {
  const pending = generationPending(o);
  if (pending) return pending;
  if (o.status?.observedGeneration === undefined && o.metadata.generation !== undefined) {
    return progressing('StatefulSet status is not yet reported');
  }
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  if (o.spec?.updateStrategy?.type === 'OnDelete') return healthy('updateStrategy OnDelete: rollout is not tracked');
  const ready = num(s.readyReplicas);
  if (num(s.replicas) < want) return progressing(`Waiting for ${want - num(s.replicas)} pods to be created`);
  if (ready < want) return progressing(`Waiting for ${want - ready} pods to be ready`);
  const partition = num(o.spec?.updateStrategy?.rollingUpdate?.partition);
  if (partition > 0) {
    const expected = want - partition;
    if (num(s.updatedReplicas) < expected) return progressing(`Waiting for partitioned roll out: ${num(s.updatedReplicas)} of ${expected} new pods have been updated`);
    return healthy(`Partitioned roll out complete: ${expected} new pods have been updated`);
  }
  if (s.updateRevision && s.currentRevision !== s.updateRevision) {
    return progressing(`Waiting for rolling update to complete: ${num(s.updatedReplicas)} of ${want} pods are at revision ${s.updateRevision}`);
  }
  return healthy();
}

/** kstatus daemonsetConditions + Argo CD's daemonset check. */
export function daemonSetHealth(o: KubeObject): HealthResult {
  const pending = generationPending(o);
  if (pending) return pending;
  const s = o.status;
  if (!s || s.desiredNumberScheduled === undefined) return progressing('DaemonSet status is not yet reported');
  if (o.spec?.updateStrategy?.type === 'OnDelete') return healthy('updateStrategy OnDelete: rollout is not tracked');
  const desired = num(s.desiredNumberScheduled);
  if (num(s.updatedNumberScheduled) < desired) return progressing(`Waiting for rollout: ${num(s.updatedNumberScheduled)} of ${desired} updated pods are scheduled`);
  if (num(s.numberAvailable) < desired) return progressing(`Waiting for rollout: ${num(s.numberAvailable)} of ${desired} updated pods are available`);
  return healthy();
}
