/** Cluster health, derived from the last heartbeat and the clock: no background process needed. */
export const PHASES = ['Pending', 'Ready', 'NotReady', 'Unknown', 'Offline'] as const;
export type ClusterPhase = (typeof PHASES)[number];

/** Silent past its timeout: nothing it last said may be shown as current. */
export const isDark = (phase: ClusterPhase) => phase === 'Unknown' || phase === 'Offline';

export const HEARTBEAT_INTERVAL_SECONDS = 10;
export const UNKNOWN_AFTER_MS = 40_000;
export const OFFLINE_AFTER_MS = 5 * 60_000;

export interface Liveness {
  lastHeartbeatAt: Date | null;
  ready: boolean;
}

export function clusterPhase(agent: Liveness | undefined, now: Date): ClusterPhase {
  if (!agent?.lastHeartbeatAt) return 'Pending';
  const silence = now.getTime() - agent.lastHeartbeatAt.getTime();
  if (silence > OFFLINE_AFTER_MS) return 'Offline';
  if (silence > UNKNOWN_AFTER_MS) return 'Unknown';
  return agent.ready ? 'Ready' : 'NotReady';
}

export interface PhaseChange {
  from: ClusterPhase;
  to: ClusterPhase;
  at: Date;
}

/** The silence phases whose events were already written (by the sweeper) since the last heartbeat. */
export type SilenceRecorded = 'Unknown' | 'Offline' | null;

/**
 * The changes a silence makes once its thresholds pass, each at the moment it
 * passed: to Unknown 40 s after the last heartbeat, to Offline after 5 min.
 * Those already recorded (`recorded`) are left out, so each is written once,
 * whether by the sweeper when the time comes or by the heartbeat that ends it.
 */
export function silenceChanges(prev: Liveness & { lastHeartbeatAt: Date }, until: Date, recorded: SilenceRecorded = null): PhaseChange[] {
  const last = prev.lastHeartbeatAt.getTime();
  const silence = until.getTime() - last;
  const changes: PhaseChange[] = [];
  let phase: ClusterPhase = prev.ready ? 'Ready' : 'NotReady';
  if (silence > UNKNOWN_AFTER_MS) {
    changes.push({ from: phase, to: 'Unknown', at: new Date(last + UNKNOWN_AFTER_MS) });
    phase = 'Unknown';
  }
  if (silence > OFFLINE_AFTER_MS) changes.push({ from: phase, to: 'Offline', at: new Date(last + OFFLINE_AFTER_MS) });
  return changes.slice(recorded === 'Offline' ? 2 : recorded === 'Unknown' ? 1 : 0);
}

/**
 * Every phase change between the previous heartbeat and this one, each at the
 * moment it happened, less the silence already recorded by the sweeper.
 */
export function phaseChanges(prev: Liveness | undefined, next: { at: Date; ready: boolean }, recorded: SilenceRecorded = null): PhaseChange[] {
  const reported: ClusterPhase = next.ready ? 'Ready' : 'NotReady';
  if (!prev?.lastHeartbeatAt) return [{ from: 'Pending', to: reported, at: next.at }];
  const changes = silenceChanges({ ...prev, lastHeartbeatAt: prev.lastHeartbeatAt }, next.at, recorded);
  const phase = clusterPhase(prev, next.at);
  if (phase !== reported) changes.push({ from: phase, to: reported, at: next.at });
  return changes;
}
