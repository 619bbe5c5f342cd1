import type { KubeObject } from '../kube/types.js';
import { conditionOf, degraded, healthy, num, progressing, suspended, type HealthResult } from './types.js';

const WORKLOAD_GENERATION = 'rollout.argoproj.io/workload-generation';

/** A number, or undefined for anything else (Argo Rollouts before v0.10 wrote a hash into observedGeneration). */
const numeric = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Whether the controller has seen the newest spec, and (v1.1 and later, with
 * `spec.workloadRef`) the newest generation of the Deployment it refers to.
 * A non-numeric observedGeneration belongs to an old controller that does not
 * say, so it counts as seen, as Argo CD counts it.
 */
function observed(o: KubeObject): boolean {
  const s = o.status ?? {};
  const seen = numeric(s.observedGeneration);
  const generation = o.metadata.generation;
  if (seen !== undefined && typeof generation === 'number' && seen < generation) return false;
  if (o.spec?.workloadRef === undefined || o.metadata.annotations === undefined) return true;
  return numeric(o.metadata.annotations[WORKLOAD_GENERATION]) === numeric(s.workloadObservedGeneration);
}

/** The phase Argo Rollouts v1.0 and later compute themselves, in Argo CD's words. */
function fromPhase(phase: string, message: string | undefined): HealthResult {
  const said = message || undefined;
  switch (phase) {
    case 'Paused': return suspended(said ?? 'Rollout is paused');
    case 'Healthy': return healthy(said);
    case 'Progressing': return progressing(said ?? 'Rollout is progressing');
    case 'Degraded': return degraded(said ?? 'Rollout is degraded');
    default: return { health: 'Unknown', message: `Rollout phase "${phase}" is not one Fleetplane knows` };
  }
}

/**
 * Before v1.0 the phase is not written: judged from the conditions, pauses,
 * the pod hashes and the replica counts, as Argo CD's Rollout check does.
 */
function fromStatus(o: KubeObject): HealthResult {
  const s = o.status ?? {};
  const invalid = conditionOf(o, 'InvalidSpec');
  if (invalid) return degraded(invalid.message ?? 'the Rollout spec is invalid');
  const progress = conditionOf(o, 'Progressing');
  if (progress?.reason === 'RolloutAborted' || progress?.reason === 'ProgressDeadlineExceeded') {
    return degraded(progress.message ?? progress.reason);
  }
  if (s.abort === true) return degraded('Rollout is aborted');
  const pauses = Array.isArray(s.pauseConditions) ? s.pauseConditions.length : 0;
  if (pauses > 0 || o.spec?.paused === true) return suspended('Rollout is paused');
  const current = typeof s.currentPodHash === 'string' ? s.currentPodHash : undefined;
  if (!current) return progressing('Waiting for rollout to finish: status has not been reconciled');

  const want = num(o.spec?.replicas, 1);
  const total = num(s.replicas);
  const updated = num(s.updatedReplicas);
  if (updated < want) return progressing('Waiting for rollout to finish: more replicas need to be updated');
  if (num(s.availableReplicas) < updated) return progressing('Waiting for rollout to finish: updated replicas are still becoming available');

  // status.canary.stableRS until v0.8, status.stableRS since
  const stable: string = s.stableRS ?? s.canary?.stableRS ?? '';
  const strategy = o.spec?.strategy ?? {};
  if (strategy.blueGreen !== undefined) {
    if (s.blueGreen?.activeSelector !== current) return progressing('active service cutover pending');
    if (stable !== '' && stable !== current) return progressing('waiting for analysis to complete');
  } else if (strategy.canary !== undefined) {
    if (total > updated) return progressing('Waiting for rollout to finish: old replicas are pending termination');
    if (stable !== current) return progressing('Waiting for rollout to finish steps');
  }
  return healthy();
}

/** An Argo Rollouts `Rollout` (argoproj.io/v1alpha1): Healthy, Progressing, Degraded or Suspended (paused for promotion). */
export function rolloutHealth(o: KubeObject): HealthResult {
  if (!o.status || !observed(o)) return progressing('Waiting for rollout spec update to be observed');
  if (typeof o.status.phase === 'string' && o.status.phase !== '') return fromPhase(o.status.phase, o.status.message);
  return fromStatus(o);
}
