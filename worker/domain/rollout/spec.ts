import type { LabelSelector } from '../../render/index.js';
import { matchesSelector } from '../../render/index.js';
import type { AppSpec } from '../apps/spec.js';

/** API.md: a cluster not Ready at the new generation this long after its release counts as Failed. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export interface ProgressiveRollout {
  waves: LabelSelector[];
  maxUnavailable: number | undefined;
  pauseOnFailure: boolean;
  /** ms */
  deadline: number;
}

/** The app's progressive rollout, or undefined when it rolls out everywhere at once. */
export function progressiveRollout(spec: AppSpec): ProgressiveRollout | undefined {
  const r = spec.rollout;
  if (r?.strategy !== 'Progressive') return undefined;
  return {
    waves: r.waves ?? [],
    maxUnavailable: r.maxUnavailable,
    pauseOnFailure: r.pauseOnFailure ?? false,
    deadline: (r.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000,
  };
}

/** The wave (from 1) that selects a cluster now: the first whose selector matches, else the implicit last one. */
export function waveOf(waves: LabelSelector[], labels: Record<string, string>): number {
  const i = waves.findIndex((w) => matchesSelector(w, labels));
  return i === -1 ? waves.length + 1 : i + 1;
}

/** How many waves the rollout has: the declared ones, and the implicit last one when some cluster falls in it. */
export function waveCount(waves: LabelSelector[], clusterWaves: number[]): number {
  return clusterWaves.some((w) => w > waves.length) ? waves.length + 1 : waves.length;
}
