import { describe, expect, it } from 'vitest';
import { healthOf } from '../../connectors/health/index.js';
import type { KubeObject } from '../../connectors/kube/types.js';

/**
 * The cases of Argo CD's Rollout health tests
 * (resource_customizations/argoproj.io/Rollout/health_test.yaml), each object
 * cut down to the fields the check reads, named after its testdata file, with
 * the health Argo CD expects. Messages are Fleetplane's own where Argo CD's
 * come from its script rather than from the object.
 */
interface Case {
  file: string;
  generation?: number;
  annotations?: Record<string, string>;
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
  health: string;
  message?: string | RegExp;
}

const canary = { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } };
const blueGreen = { blueGreen: { activeService: 'active', previewService: 'preview' } };
const progressing = (reason: string, status = 'True', message?: string) => ({ type: 'Progressing', status, reason, ...(message ? { message } : {}) });
const availableTrue = { type: 'Available', status: 'True', reason: 'AvailableReason' };
const workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rollout-ref-deployment' };
const steady = { replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1, currentPodHash: '754cb84d5', stableRS: '754cb84d5' };

const cases: Case[] = [
  { file: 'newRolloutWithoutStatus.yaml', generation: 1, spec: { strategy: canary }, health: 'Progressing', message: 'Waiting for rollout spec update to be observed' },
  {
    file: 'progressing_newGeneration.yaml', generation: 2, spec: { replicas: 1, strategy: canary },
    status: { ...steady, observedGeneration: '1', conditions: [progressing('NewReplicaSetAvailable'), availableTrue] },
    health: 'Progressing', message: 'Waiting for rollout spec update to be observed',
  },
  {
    file: 'progressing_newWorkloadGeneration.yaml', generation: 3, annotations: { 'rollout.argoproj.io/workload-generation': '2' },
    spec: { replicas: 5, workloadRef, strategy: canary },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '75bbd56864', stableRS: '75bbd56864', observedGeneration: '3', phase: 'Healthy', workloadObservedGeneration: '1' },
    health: 'Progressing', message: 'Waiting for rollout spec update to be observed',
  },
  {
    file: 'degraded_statusPhaseMessage.yaml', generation: 1, spec: { replicas: 1, strategy: canary },
    status: { ...steady, observedGeneration: '8575574967', phase: 'Degraded', message: 'InvalidSpec' },
    health: 'Degraded', message: 'InvalidSpec',
  },
  {
    file: 'healthy_legacy_v0.9_observedGeneration.yaml', generation: 1, spec: { replicas: 1, strategy: canary },
    status: { ...steady, observedGeneration: 'abc123', conditions: [progressing('NewReplicaSetAvailable'), availableTrue] }, health: 'Healthy',
  },
  {
    file: 'healthy_legacy_v0.9_observedGeneration_numeric.yaml', generation: 1, spec: { replicas: 1, strategy: canary },
    status: { ...steady, observedGeneration: '8575574967', conditions: [progressing('NewReplicaSetAvailable'), availableTrue] }, health: 'Healthy',
  },
  {
    file: 'healthy_legacy_v1.0_newWorkloadGeneration.yaml', generation: 3, spec: { replicas: 5, workloadRef, strategy: canary },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '75bbd56864', stableRS: '75bbd56864', observedGeneration: '3', phase: 'Healthy' },
    health: 'Healthy',
  },
  {
    file: 'healthy_newWorkloadGeneration.yaml', generation: 3, annotations: { 'rollout.argoproj.io/workload-generation': '1' },
    spec: { replicas: 5, workloadRef, strategy: canary },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '75bbd56864', stableRS: '75bbd56864', observedGeneration: '3', phase: 'Healthy', workloadObservedGeneration: '1' },
    health: 'Healthy',
  },
  {
    file: 'degraded_invalidSpec.yaml', generation: 3, spec: { replicas: 1, strategy: {} },
    status: {
      ...steady, observedGeneration: '3',
      conditions: [progressing('NewReplicaSetAvailable'), availableTrue, {
        type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec',
        message: 'The Rollout "basic" is invalid: spec.strategy.strategy: Required value: Rollout has missing field \'.spec.strategy.canary or .spec.strategy.blueGreen\'',
      }],
    },
    health: 'Degraded', message: /The Rollout "basic" is invalid/,
  },
  {
    file: 'degraded_rolloutTimeout.yaml', generation: 1, spec: { replicas: 3, strategy: blueGreen },
    status: {
      replicas: 4, updatedReplicas: 1, availableReplicas: 3, currentPodHash: '6b8cf6f7db', blueGreen: { activeSelector: '8464d8564d' }, observedGeneration: '7bcdbf7bd9',
      conditions: [availableTrue, progressing('ProgressDeadlineExceeded', 'False', 'ReplicaSet "guestbook-bluegreen-helm-guestbook-6b8cf6f7db" has timed out progressing.')],
    },
    health: 'Degraded', message: 'ReplicaSet "guestbook-bluegreen-helm-guestbook-6b8cf6f7db" has timed out progressing.',
  },
  {
    file: 'degraded_abortedRollout.yaml', spec: { replicas: 5, strategy: canary },
    status: {
      abort: true, replicas: 5, availableReplicas: 5, currentPodHash: '6758949f55', canary: { stableRS: '645d5dbc4c' }, currentStepIndex: 0, observedGeneration: '58b949649c',
      conditions: [availableTrue, progressing('RolloutAborted', 'False', 'Rollout is aborted')],
    },
    health: 'Degraded', message: 'Rollout is aborted',
  },
  {
    file: 'bluegreen/healthy_servingActiveService.yaml', generation: 1, spec: { replicas: 1, strategy: blueGreen },
    status: { replicas: 1, updatedReplicas: 1, availableReplicas: 1, currentPodHash: 'dc689d967', blueGreen: { activeSelector: 'dc689d967', previewSelector: '' }, observedGeneration: '77646c9d4c' },
    health: 'Healthy',
  },
  {
    file: 'bluegreen/progressing_addingMoreReplicas.yaml', generation: 1, spec: { replicas: 3, strategy: blueGreen },
    status: { replicas: 3, updatedReplicas: 0, availableReplicas: 3, currentPodHash: '697fb9575c', activeSelector: '85f9884f5d', observedGeneration: '767f98959f' },
    health: 'Progressing', message: 'Waiting for rollout to finish: more replicas need to be updated',
  },
  {
    file: 'bluegreen/progressing_waitingUntilAvailable.yaml', generation: 1, spec: { replicas: 3, strategy: blueGreen },
    status: { replicas: 3, updatedReplicas: 3, availableReplicas: 0, currentPodHash: '697fb9575c', activeSelector: '697fb9575c', observedGeneration: '767f98959f' },
    health: 'Progressing', message: 'Waiting for rollout to finish: updated replicas are still becoming available',
  },
  {
    file: 'canary/progressing_setWeightStep.yaml', generation: 1, spec: { replicas: 5, strategy: canary },
    status: { replicas: 5, updatedReplicas: 2, availableReplicas: 5, currentPodHash: '6b566f47b7', canary: { stableRS: 'df986d68' }, currentStepIndex: 3, observedGeneration: '6df79499bc' },
    health: 'Progressing', message: 'Waiting for rollout to finish: more replicas need to be updated',
  },
  {
    file: 'canary/progressing_killingOldReplicas.yaml', generation: 101, spec: { replicas: 5, strategy: canary },
    status: { replicas: 6, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '694fb7759c', canary: { stableRS: '74d6dc8544' }, observedGeneration: '7fcc96c7b7' },
    health: 'Progressing', message: 'Waiting for rollout to finish: old replicas are pending termination',
  },
  {
    file: 'suspended_controllerPause.yaml', spec: { replicas: 5, strategy: canary },
    status: {
      replicas: 5, updatedReplicas: 1, availableReplicas: 5, currentPodHash: '6758949f55', canary: { stableRS: '75c96899b8' }, controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2019-12-09T18:34:12Z' }], observedGeneration: '5b9f9dd6c6', conditions: [progressing('RolloutPaused', 'Unknown')],
    },
    health: 'Suspended', message: 'Rollout is paused',
  },
  {
    file: 'suspended_userPause.yaml', spec: { replicas: 5, paused: true, strategy: canary },
    status: {
      replicas: 5, updatedReplicas: 1, availableReplicas: 5, currentPodHash: '6b566f47b7', canary: { stableRS: 'df986d68' }, pauseStartTime: '2019-04-26T20:18:38Z',
      observedGeneration: '5c788f4484', conditions: [progressing('RolloutPaused', 'Unknown')],
    },
    health: 'Suspended', message: 'Rollout is paused',
  },
  {
    file: 'suspended_v1.0_pausedRollout.yaml', generation: 5, spec: { replicas: 5, strategy: canary },
    status: {
      replicas: 6, updatedReplicas: 2, availableReplicas: 6, currentPodHash: '8566c77b97', stableRS: '77f4f8ff97', controllerPause: true, message: 'CanaryPauseStep',
      observedGeneration: '5', pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2021-07-15T21:08:55Z' }], phase: 'Paused',
    },
    health: 'Suspended', message: 'CanaryPauseStep',
  },
  {
    file: 'canary/healthy_executedAllStepsPreV0.8.yaml', generation: 1, spec: { replicas: 5, strategy: canary },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '84ccfddd66', canary: { stableRS: '84ccfddd66' }, currentStepIndex: 4, observedGeneration: 'c45557fd9' },
    health: 'Healthy',
  },
  {
    file: 'canary/healthy_executedAllSteps.yaml', generation: 1, spec: { replicas: 5, strategy: canary },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '84ccfddd66', canary: {}, stableRS: '84ccfddd66', currentStepIndex: 4, observedGeneration: 'c45557fd9' },
    health: 'Healthy',
  },
  {
    file: 'canary/progressing_noSteps.yaml', generation: 1, spec: { replicas: 5, strategy: { canary: {} } },
    status: { replicas: 6, updatedReplicas: 5, availableReplicas: 2, currentPodHash: '567dd56d89', canary: { stableRS: '567dd56d89' }, observedGeneration: '6886f85bff' },
    health: 'Progressing', message: 'Waiting for rollout to finish: updated replicas are still becoming available',
  },
  {
    file: 'canary/healthy_noSteps.yaml', generation: 1, spec: { replicas: 5, strategy: { canary: {} } },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '567dd56d89', canary: { stableRS: '567dd56d89' }, observedGeneration: '6886f85bff' },
    health: 'Healthy',
  },
  {
    file: 'canary/healthy_emptyStepsList.yaml', generation: 1, spec: { replicas: 5, strategy: { canary: { steps: [] } } },
    status: { replicas: 5, updatedReplicas: 5, availableReplicas: 5, currentPodHash: '567dd56d89', canary: { stableRS: '567dd56d89' }, observedGeneration: '6886f85bff' },
    health: 'Healthy',
  },
];

const rollout = (c: Pick<Case, 'generation' | 'annotations' | 'spec' | 'status'>): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
  metadata: {
    name: 'guestbook', namespace: 'shop',
    ...(c.generation !== undefined ? { generation: c.generation } : {}), ...(c.annotations ? { annotations: c.annotations } : {}),
  },
  spec: c.spec, ...(c.status ? { status: c.status } : {}),
} as KubeObject);

describe('Argo Rollouts Rollout health, on the cases of Argo CD’s health tests', () => {
  it.each(cases)('$file → $health', (c) => {
    const h = healthOf(rollout(c));
    expect(h.health).toBe(c.health);
    if (c.message instanceof RegExp) expect(h.message).toMatch(c.message);
    else if (c.message !== undefined) expect(h.message).toBe(c.message);
  });

  it('a canary that has scaled up but not yet promoted its pods to stable keeps Progressing', () => {
    const h = healthOf(rollout({
      generation: 2, spec: { replicas: 2, strategy: canary },
      status: { replicas: 2, updatedReplicas: 2, availableReplicas: 2, currentPodHash: 'new', stableRS: 'old', observedGeneration: '2' },
    }));
    expect(h).toEqual({ health: 'Progressing', message: 'Waiting for rollout to finish steps' });
  });

  it('an abort without a condition is Degraded; a blue-green preview waiting for analysis is Progressing', () => {
    expect(healthOf(rollout({ spec: { strategy: canary }, status: { abort: true, currentPodHash: 'a' } })).health).toBe('Degraded');
    const waiting = healthOf(rollout({
      spec: { replicas: 1, strategy: blueGreen },
      status: { replicas: 1, updatedReplicas: 1, availableReplicas: 1, currentPodHash: 'new', stableRS: 'old', blueGreen: { activeSelector: 'new' } },
    }));
    expect(waiting).toEqual({ health: 'Progressing', message: 'waiting for analysis to complete' });
  });

  it('a phase it does not know is Unknown, not Healthy', () => {
    expect(healthOf(rollout({ spec: { strategy: canary }, status: { phase: 'Exploded' } })).health).toBe('Unknown');
  });
});
