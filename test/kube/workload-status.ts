import { createHash } from 'node:crypto';

/**
 * The status the cluster's controllers would write, per kind and state, with
 * the reasons and messages kstatus and Argo CD read. Zero counts are left out,
 * as the real controllers' `omitempty` fields are.
 */
export type Phase = 'progressing' | 'ready' | 'failed';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const nz = (fields: Record<string, number>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 0));
/** The suffix a controller derives from the pod template, as in `web-5d4f8c7b9` ReplicaSet names. */
const templateHash = (obj: any) =>
  createHash('sha256').update(JSON.stringify(obj.spec?.template ?? {})).digest('hex').replace(/[^a-f0-9]/g, '').slice(0, 10);

interface Condition { type: string; status: 'True' | 'False'; reason: string; message: string }

/** Conditions, keeping a condition's transition time while its status and reason hold. */
function conditions(prev: any[] | undefined, list: Condition[], withUpdateTime: boolean) {
  return list.map((c) => {
    const old = prev?.find((p) => p.type === c.type);
    const same = old && old.status === c.status && old.reason === c.reason;
    const t = same ? old.lastTransitionTime : now();
    return { ...c, ...(withUpdateTime ? { lastUpdateTime: same ? old.lastUpdateTime ?? t : t } : {}), lastTransitionTime: t };
  });
}

export function statusFor(obj: any, phase: Phase, message?: string, nodes = 1): any | undefined {
  const g = obj.metadata.generation;
  const prev = obj.status ?? {};
  const n = obj.spec?.replicas ?? 1;
  const name = obj.metadata.name;
  switch (obj.kind) {
    case 'Deployment': {
      const rs = `${name}-${templateHash(obj)}`;
      if (phase === 'ready') {
        return {
          observedGeneration: g, ...nz({ replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n }),
          conditions: conditions(prev.conditions, [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` },
          ], true),
        };
      }
      return {
        observedGeneration: g, ...nz({ replicas: n, updatedReplicas: n, unavailableReplicas: n }),
        conditions: conditions(prev.conditions, [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
          phase === 'failed'
            ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: message ?? `ReplicaSet "${rs}" has timed out progressing.` }
            : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` },
        ], true),
      };
    }
    case 'StatefulSet': {
      const revision = `${name}-${templateHash(obj)}`;
      const ready = phase === 'ready' ? n : 0;
      return {
        observedGeneration: g, replicas: n, ...nz({ readyReplicas: ready, currentReplicas: n, updatedReplicas: n }),
        availableReplicas: ready, currentRevision: revision, updateRevision: revision, collisionCount: 0,
      };
    }
    case 'DaemonSet': {
      // One pod per node.
      const ready = phase === 'ready' ? nodes : 0;
      return {
        currentNumberScheduled: nodes, desiredNumberScheduled: nodes, numberMisscheduled: 0, numberReady: ready,
        observedGeneration: g, updatedNumberScheduled: nodes, ...nz({ numberAvailable: ready, numberUnavailable: nodes - ready }),
      };
    }
    case 'Job': {
      const startTime = prev.startTime ?? now();
      const base = { startTime, ready: 0, terminating: 0, uncountedTerminatedPods: {} };
      if (phase === 'progressing') return { ...base, active: obj.spec?.parallelism ?? 1 };
      if (phase === 'ready') {
        const c = { status: 'True' as const, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
        return {
          ...base, completionTime: prev.completionTime ?? now(), succeeded: obj.spec?.completions ?? 1,
          conditions: conditions(prev.conditions, [{ type: 'SuccessCriteriaMet', ...c }, { type: 'Complete', ...c }], true),
        };
      }
      const c = { status: 'True' as const, reason: 'BackoffLimitExceeded', message: message ?? 'Job has reached the specified backoff limit' };
      return {
        ...base, failed: (obj.spec?.backoffLimit ?? 6) + 1,
        conditions: conditions(prev.conditions, [{ type: 'FailureTarget', ...c }, { type: 'Failed', ...c }], true),
      };
    }
    case 'PersistentVolumeClaim':
      if (phase !== 'ready') return { phase: 'Pending' };
      return { phase: 'Bound', accessModes: obj.spec?.accessModes ?? ['ReadWriteOnce'], capacity: { storage: obj.spec?.resources?.requests?.storage ?? '1Gi' } };
    case 'Service':
      if (obj.spec?.type !== 'LoadBalancer') return prev;
      return { loadBalancer: phase === 'ready' ? { ingress: [{ ip: lbAddress(obj), ipMode: 'VIP' }] } : {} };
    case 'Ingress':
      return { loadBalancer: phase === 'ready' ? { ingress: [{ ip: lbAddress(obj) }] } : {} };
    case 'Pod': {
      if (phase === 'failed') return { phase: 'Failed', reason: 'Error', message: message ?? 'container exited with a non-zero code' };
      const ready = phase === 'ready' ? 'True' : 'False';
      return {
        phase: phase === 'ready' ? 'Running' : 'Pending', qosClass: 'BestEffort', startTime: prev.startTime ?? now(),
        conditions: conditions(prev.conditions, [
          { type: 'Ready', status: ready, reason: ready === 'True' ? 'PodReady' : 'ContainersNotReady', message: '' },
        ], false),
      };
    }
    case 'Rollout':
      return rolloutStatus(obj, phase, message);
    default:
      return undefined;
  }
}

/**
 * As the Argo Rollouts controller (v1.0 and later) writes it: the first
 * version goes out whole; a changed pod template walks the canary steps and
 * stops at the first pause without a duration (phase Paused) until promoted;
 * `promoted` makes the current template the stable one.
 */
export function rolloutStatus(obj: any, phase: Phase | 'promoted', message?: string): any {
  const prev = obj.status ?? {};
  const n = obj.spec?.replicas ?? 1;
  const hash = templateHash(obj);
  const base = { observedGeneration: String(obj.metadata.generation), currentPodHash: hash, replicas: n, HPAReplicas: n };
  if (phase === 'failed') return { ...base, stableRS: prev.stableRS, phase: 'Degraded', message: message ?? 'ProgressDeadlineExceeded' };
  if (phase === 'progressing') return { ...base, stableRS: prev.stableRS, updatedReplicas: 0, phase: 'Progressing', message: 'more replicas need to be updated' };
  const steps: any[] = obj.spec?.strategy?.canary?.steps ?? [];
  const pauseAt = steps.findIndex((s) => s.pause !== undefined && s.pause.duration === undefined);
  const stable = prev.stableRS === undefined || prev.stableRS === hash || pauseAt < 0 || phase === 'promoted';
  if (stable) {
    return { ...base, stableRS: hash, updatedReplicas: n, readyReplicas: n, availableReplicas: n, currentStepIndex: steps.length, phase: 'Healthy' };
  }
  const weight = steps.slice(0, pauseAt).reverse().find((s) => s.setWeight !== undefined)?.setWeight ?? 0;
  const canary = Math.max(1, Math.round((n * weight) / 100));
  return {
    ...base, stableRS: prev.stableRS, updatedReplicas: canary, readyReplicas: n, availableReplicas: n, currentStepIndex: pauseAt,
    controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: prev.pauseConditions?.[0]?.startTime ?? now() }],
    phase: 'Paused', message: 'CanaryPauseStep',
  };
}

/** A stable documentation-range address per object (RFC 5737), so tests can predict it. */
function lbAddress(obj: any): string {
  const h = createHash('sha256').update(`${obj.metadata.namespace}/${obj.metadata.name}`).digest();
  return `203.0.113.${(h[0]! % 250) + 1}`;
}

/** Kinds whose readiness is per generation: a new spec must roll out again. */
export const ROLLS_OUT = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout']);
export const CONTROLLED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'PersistentVolumeClaim', 'Service', 'Ingress', 'Pod', 'Rollout']);
