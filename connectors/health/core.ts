import type { KubeObject } from '../kube/types.js';
import { conditionOf, degraded, generationPending, healthy, progressing, type HealthResult } from './types.js';

export function pvcHealth(o: KubeObject): HealthResult {
  const phase = o.status?.phase;
  if (phase === 'Bound') return healthy();
  if (phase === 'Lost') return degraded('PersistentVolumeClaim lost its volume');
  return progressing(`PersistentVolumeClaim is ${phase ?? 'Pending'}`);
}

export function namespaceHealth(o: KubeObject): HealthResult {
  if (o.status?.phase === 'Terminating') return progressing('Namespace is terminating');
  return healthy();
}

export function podHealth(o: KubeObject): HealthResult {
  const phase = o.status?.phase;
  if (phase === 'Succeeded') return healthy();
  if (phase === 'Failed') return degraded(o.status?.message ?? 'Pod failed');
  const waiting = (o.status?.containerStatuses ?? []).map((c: any) => c?.state?.waiting).find((w: any) => w?.reason === 'CrashLoopBackOff' || w?.reason === 'ImagePullBackOff' || w?.reason === 'ErrImagePull');
  if (waiting) return degraded(`${waiting.reason}: ${waiting.message ?? ''}`.trim());
  const ready = conditionOf(o, 'Ready');
  if (phase === 'Running' && ready?.status === 'True') return healthy();
  return progressing(`Pod is ${phase ?? 'Pending'}`);
}

/**
 * Any other kind (custom resources included), by the conventions kstatus
 * reads: Stalled → Degraded, Reconciling → Progressing, Ready / Available
 * False → Progressing (or Degraded when the reason says it failed); no
 * conditions → Healthy once it exists.
 */
export function genericHealth(o: KubeObject): HealthResult {
  const pending = generationPending(o);
  if (pending) return pending;
  const stalled = conditionOf(o, 'Stalled');
  if (stalled?.status === 'True') return degraded(stalled.message ?? stalled.reason ?? 'Stalled');
  const reconciling = conditionOf(o, 'Reconciling');
  if (reconciling?.status === 'True') return progressing(reconciling.message ?? reconciling.reason ?? 'Reconciling');
  for (const type of ['Ready', 'Available']) {
    const c = conditionOf(o, type);
    if (!c) continue;
    if (c.status === 'True') return healthy(c.message);
    if (c.status === 'False' && /fail|error/i.test(c.reason ?? '')) return degraded(c.message ?? c.reason ?? `${type} is False`);
    return progressing(c.message ?? c.reason ?? `${type} is ${c.status}`);
  }
  return healthy();
}
