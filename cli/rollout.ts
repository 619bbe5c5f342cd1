/**
 * A progressive rollout as the CLI shows it. `status.rollout` and the clusters'
 * `wave` are read where the server gives them and left out where it does not,
 * so the same CLI works against servers from before progressive rollouts.
 */
import type { components } from '../client/index.js';

export type App = components['schemas']['App'];

export interface Rollout {
  generation: number;
  wave: number;
  waves: number;
  state: 'Progressing' | 'Paused' | 'Complete';
  message?: string;
}

export type ClusterStatus = App['status']['clusters'][number] & { wave?: number };

export const rolloutOf = (app: App): Rollout | undefined => (app.status as { rollout?: Rollout | null }).rollout ?? undefined;

export const isPaused = (app: App) => (app.status.phase as string) === 'Paused' || rolloutOf(app)?.state === 'Paused';

export const rolloutHeader = (r: Rollout) => `rollout: wave ${r.wave}/${r.waves} ${r.state}${r.message ? ` — ${r.message}` : ''}`;

/** Whether a wave is behind, at or ahead of the rollout; a complete rollout needs no marks. */
function waveTitle(wave: number | undefined, r: Rollout) {
  if (wave === undefined) return 'no wave';
  const mark = r.state === 'Complete' || wave < r.wave ? '' : wave === r.wave ? ` (${r.state.toLowerCase()})` : ' (not started)';
  return `wave ${wave}/${r.waves}${mark}`;
}

/** Cluster lines under a title per wave, waves in order; clusters the server gave no wave last. */
export function byWave(clusters: ClusterStatus[], r: Rollout, line: (c: ClusterStatus) => string): string[] {
  const groups = new Map<number | undefined, ClusterStatus[]>();
  for (const c of clusters) groups.set(c.wave, [...(groups.get(c.wave) ?? []), c]);
  const order = [...groups.keys()].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  return order.flatMap((w) => [`  ${waveTitle(w, r)}`, ...groups.get(w)!.map((c) => `  ${line(c)}`)]);
}
