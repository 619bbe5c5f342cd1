/** Cluster health, derived from the last heartbeat and the clock: no background process needed. */
export const PHASES = ['Pending', 'Ready', 'NotReady', 'Unknown', 'Offline'] as const;
export type ClusterPhase = (typeof PHASES)[number];

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

/**
 * Every phase change between the previous heartbeat and this one, each at the
 * moment it happened: silence that crossed 40 s and 5 min is recorded when the
 * connector comes back, with the times those thresholds were passed.
 */
export function phaseChanges(prev: Liveness | undefined, next: { at: Date; ready: boolean }): PhaseChange[] {
  const reported: ClusterPhase = next.ready ? 'Ready' : 'NotReady';
  if (!prev?.lastHeartbeatAt) return [{ from: 'Pending', to: reported, at: next.at }];
  const last = prev.lastHeartbeatAt.getTime();
  const changes: PhaseChange[] = [];
  let phase: ClusterPhase = prev.ready ? 'Ready' : 'NotReady';
  if (next.at.getTime() - last > UNKNOWN_AFTER_MS) {
    changes.push({ from: phase, to: 'Unknown', at: new Date(last + UNKNOWN_AFTER_MS) });
    phase = 'Unknown';
  }
  if (next.at.getTime() - last > OFFLINE_AFTER_MS) {
    changes.push({ from: phase, to: 'Offline', at: new Date(last + OFFLINE_AFTER_MS) });
    phase = 'Offline';
  }
  if (phase !== reported) changes.push({ from: phase, to: reported, at: next.at });
  return changes;
}
