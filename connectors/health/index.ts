import { groupOf, type KubeObject } from '../kube/types.js';
import { cronJobHealth, jobHealth } from './batch.js';
import { genericHealth, namespaceHealth, podHealth, pvcHealth } from './core.js';
import { ingressHealth, serviceHealth } from './network.js';
import { rolloutHealth } from './rollout.js';
import { healthy, progressing, type HealthCheck, type HealthResult } from './types.js';
import { daemonSetHealth, deploymentHealth, statefulSetHealth } from './workloads.js';

export type { Health, HealthResult } from './types.js';

const CHECKS: Record<string, HealthCheck> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'batch/Job': jobHealth,
  'batch/CronJob': cronJobHealth,
  'argoproj.io/Rollout': rolloutHealth,
  '/Service': serviceHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  '/PersistentVolumeClaim': pvcHealth,
  '/Namespace': namespaceHealth,
  '/Pod': podHealth,
  '/ConfigMap': () => healthy(),
  '/Secret': () => healthy(),
};

/** The health of one live object; undefined (not found) is Missing. Pure. */
export function healthOf(o: KubeObject | undefined): HealthResult {
  if (!o) return { health: 'Missing', message: 'not found in the cluster' };
  if (o.metadata.deletionTimestamp) return progressing(`${o.kind} is being deleted`);
  const check = CHECKS[`${groupOf(o.apiVersion)}/${o.kind}`] ?? genericHealth;
  try {
    return check(o);
  } catch (e) {
    return { health: 'Unknown', message: `health check failed: ${(e as Error).message}` };
  }
}
