import type { KubeObject } from '../kube/types.js';

/**
 * Argo CD's words; kstatus's Current / InProgress / Failed map onto the first
 * three. Suspended: waiting on purpose (a paused rollout, a suspended CronJob).
 */
export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthResult {
  health: Health;
  message?: string;
}

export type HealthCheck = (o: KubeObject) => HealthResult;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export const healthy = (message?: string): HealthResult => (message ? { health: 'Healthy', message } : { health: 'Healthy' });
export const progressing = (message: string): HealthResult => ({ health: 'Progressing', message });
export const degraded = (message: string): HealthResult => ({ health: 'Degraded', message });
export const suspended = (message: string): HealthResult => ({ health: 'Suspended', message });

export const conditionOf = (o: KubeObject, type: string): Condition | undefined =>
  (Array.isArray(o.status?.conditions) ? (o.status.conditions as Condition[]) : []).find((c) => c?.type === type);

/**
 * kstatus's first rule for every kind: a controller that has not yet seen the
 * newest spec (status.observedGeneration behind metadata.generation) says
 * nothing about it yet.
 */
export function generationPending(o: KubeObject): HealthResult | undefined {
  const observed = o.status?.observedGeneration;
  const generation = o.metadata.generation;
  if (typeof generation === 'number' && typeof observed === 'number' && observed < generation) {
    return progressing(`${o.kind} generation ${generation} is not yet observed (observed ${observed})`);
  }
  return undefined;
}

export const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
