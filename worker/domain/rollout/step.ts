import type { RolloutState } from '../../../db/schema/index.js';
import type { ClusterAppPhase } from '../status/placement-phase.js';

/** One placed cluster as the rollout sees it. */
export interface RolloutCluster {
  uid: string;
  name: string;
  wave: number;
  /** the newest content is not yet released to it */
  pending: boolean;
  phase: ClusterAppPhase;
  message?: string | undefined;
  /** released longer ago than the progress deadline (a dark cluster past it fails the wave too) */
  overdue: boolean;
}

export interface RolloutPosition {
  wave: number;
  state: RolloutState;
  message: string;
}

export interface RolloutEvent {
  reason: 'RolloutWaveStarted' | 'RolloutPaused' | 'RolloutResumed' | 'RolloutCompleted';
  message: string;
}

export interface RolloutStep {
  position: RolloutPosition;
  /** the clusters whose pending content is released now */
  release: string[];
  events: RolloutEvent[];
}

export interface StepOptions {
  /** declared waves; the implicit last one is `declared + 1` */
  declared: number;
  maxUnavailable: number | undefined;
  pauseOnFailure: boolean;
}

const failed = (c: RolloutCluster) => c.phase === 'Failed' || (c.overdue && c.phase === 'Unknown');
const byName = (a: RolloutCluster, b: RolloutCluster) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The RolloutWaveStarted event of a wave and its clusters' names. */
export const waveStarted = (wave: number, of: number, names: string[], prefix = ''): RolloutEvent =>
  ({ reason: 'RolloutWaveStarted', message: `${prefix}wave ${wave} of ${of} started${names.length ? `: ${listed(names)}` : ''}` });

/** Names for a message: the first five, then how many more. */
export function listed(names: string[]) {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}

/**
 * Moves a rollout as far as its clusters allow, as a pure function: clusters
 * of finished waves get the new content (those that joined or were relabelled
 * into them too); the current wave is released up to `maxUnavailable`
 * clusters in flight at a time; it is finished when every cluster is Ready at
 * the new content, or Failed without `pauseOnFailure`; a Failed cluster with
 * `pauseOnFailure` pauses the rollout where it is. Past the last wave it is Complete.
 */
export function stepRollout(from: RolloutPosition, clusters: RolloutCluster[], o: StepOptions): RolloutStep {
  const cs = clusters.map((c) => ({ ...c })).sort(byName);
  const last = o.declared + 1;
  const present = Math.max(o.declared, ...cs.map((c) => c.wave));
  const release: string[] = [];
  const events: RolloutEvent[] = [];
  const doRelease = (c: RolloutCluster) => {
    release.push(c.uid);
    c.pending = false;
    c.phase = 'Pending';
    c.overdue = false;
  };
  let { wave, state, message } = from;
  for (;;) {
    for (const c of cs) if (c.pending && (c.wave < wave || state === 'Complete')) doRelease(c);
    if (state === 'Complete') break;
    if (wave > last) {
      state = 'Complete';
      message = 'every wave is released';
      events.push({ reason: 'RolloutCompleted', message: `rollout complete: ${cs.length} clusters in ${present} waves` });
      continue;
    }
    if (state === 'Paused') break;
    const members = cs.filter((c) => c.wave === wave);
    const failures = members.filter((c) => !c.pending && failed(c));
    if (failures.length > 0 && o.pauseOnFailure) {
      state = 'Paused';
      const why = failures[0]!.message ? `: ${failures[0]!.message}` : '';
      message = `wave ${wave} paused: ${listed(failures.map((c) => c.name))} failed${why}`;
      events.push({ reason: 'RolloutPaused', message });
      break;
    }
    if (members.every((c) => !c.pending && (c.phase === 'Ready' || failed(c)))) {
      wave++;
      const next = cs.filter((c) => c.wave === wave);
      if (wave <= last && next.length > 0) {
        events.push(waveStarted(wave, present, next.map((c) => c.name)));
      }
      continue;
    }
    const inFlight = members.filter((c) => !c.pending && c.phase !== 'Ready' && !failed(c)).length;
    const room = (o.maxUnavailable ?? Infinity) - inFlight;
    members.filter((c) => c.pending).slice(0, Math.max(0, room)).forEach(doRelease);
    const ready = members.filter((c) => c.phase === 'Ready').length;
    message = `wave ${wave} of ${present}: ${ready} of ${members.length} clusters Ready`;
    break;
  }
  return { position: { wave, state, message }, release, events };
}
