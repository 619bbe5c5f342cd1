import { describe, expect, it } from 'vitest';
import { stepRollout, type RolloutCluster } from '../../worker/domain/rollout/step.js';

const c = (name: string, wave: number, over: Partial<RolloutCluster> = {}): RolloutCluster =>
  ({ uid: name, name, wave, pending: true, phase: 'Pending', overdue: false, ...over });
const start = { wave: 1, state: 'Progressing' as const, message: '' };
const opts = { declared: 2, maxUnavailable: undefined, pauseOnFailure: false };

describe('stepRollout', () => {
  it('releases the current wave only, and reports where it stands', () => {
    const s = stepRollout(start, [c('a', 1), c('b', 2), c('z', 3)], opts);
    expect(s.release).toEqual(['a']);
    expect(s.position).toEqual({ wave: 1, state: 'Progressing', message: 'wave 1 of 3: 0 of 1 clusters Ready' });
    expect(s.events).toEqual([]);
  });

  it('moves through every finished wave at once and completes past the last, releasing any straggler', () => {
    const ready = { pending: false, phase: 'Ready' as const };
    const s = stepRollout(start, [c('a', 1, ready), c('b', 2, ready), c('z', 3, ready)], opts);
    expect(s.position.state).toBe('Complete');
    expect(s.position.wave).toBe(4);
    expect(s.events.map((e) => e.reason)).toEqual(['RolloutWaveStarted', 'RolloutWaveStarted', 'RolloutCompleted']);
    const after = stepRollout(s.position, [c('late', 2)], opts);
    expect(after.release).toEqual(['late']);
    expect(after.events).toEqual([]);
  });

  it('skips empty waves, and the implicit last wave exists only when some cluster falls in it', () => {
    const s = stepRollout(start, [c('b', 2)], opts);
    expect(s.position.wave).toBe(2);
    expect(s.release).toEqual(['b']);
    expect(s.position.message).toBe('wave 2 of 2: 0 of 1 clusters Ready');
  });

  it('caps the clusters in flight at maxUnavailable; Ready ones make room', () => {
    const cs = [c('a', 1, { pending: false, phase: 'Ready' }), c('b', 1, { pending: false, phase: 'Progressing' }), c('c', 1), c('d', 1), c('e', 1)];
    expect(stepRollout(start, cs, { ...opts, maxUnavailable: 2 }).release).toEqual(['c']);
    expect(stepRollout(start, cs, { ...opts, maxUnavailable: 1 }).release).toEqual([]);
  });

  it('pauses on a Failed cluster with pauseOnFailure, and goes on past it without', () => {
    const cs = [c('a', 1, { pending: false, phase: 'Failed', message: 'ImagePullBackOff' }), c('b', 2)];
    const paused = stepRollout(start, cs, { ...opts, pauseOnFailure: true });
    expect(paused.position).toEqual({ wave: 1, state: 'Paused', message: 'wave 1 paused: a failed: ImagePullBackOff' });
    expect(paused.release).toEqual([]);
    expect(stepRollout(paused.position, cs, { ...opts, pauseOnFailure: true }).events).toEqual([]); // paused stays paused, quietly
    expect(stepRollout(start, cs, opts).release).toEqual(['b']);
  });

  it('a dark cluster holds its wave until the deadline passes, then counts as Failed', () => {
    const dark = c('a', 1, { pending: false, phase: 'Unknown' });
    expect(stepRollout(start, [dark, c('b', 2)], opts).release).toEqual([]);
    expect(stepRollout(start, [{ ...dark, overdue: true }, c('b', 2)], opts).release).toEqual(['b']);
  });

  it('a Suspended cluster does not finish its wave', () => {
    expect(stepRollout(start, [c('a', 1, { pending: false, phase: 'Suspended' }), c('b', 2)], opts).release).toEqual([]);
  });
});
