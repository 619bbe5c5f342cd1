import type { KubeObject } from '../kube/types.js';
import { healthy, progressing, type HealthResult } from './types.js';

const hasAddress = (o: KubeObject) => {
  const ingress = o.status?.loadBalancer?.ingress;
  return Array.isArray(ingress) && ingress.some((i: { ip?: string; hostname?: string }) => i?.ip || i?.hostname);
};

/** A LoadBalancer Service waits for an ingress address (kstatus and Argo CD); other types exist → Healthy. */
export function serviceHealth(o: KubeObject): HealthResult {
  if (o.spec?.type !== 'LoadBalancer') return healthy();
  return hasAddress(o) ? healthy() : progressing('Waiting for the load balancer to be given an address');
}

/** An Ingress waits for its controller to publish an address (Argo CD's ingress check). */
export function ingressHealth(o: KubeObject): HealthResult {
  return hasAddress(o) ? healthy() : progressing('Waiting for the ingress controller to publish an address');
}
