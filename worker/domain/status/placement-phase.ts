import type { ReportPhase } from '../../../db/schema/index.js';
import { isDark, type ClusterPhase } from '../clusters/phase.js';

export type ClusterAppPhase = 'Pending' | 'Progressing' | 'Ready' | 'Failed' | 'Suspended' | 'Unknown';

/** What decides an owner's phase on one cluster: the cluster's health, the placement and the report's verdict. */
export interface PlacementState {
  clusterPhase: ClusterPhase;
  /** the owner revision whose content this cluster holds */
  revision: number;
  /** the newer revision a progressive rollout has not yet released here */
  pendingRevision: number | null;
  /** when the held content was released (a progressive rollout's deadline counts from it) */
  releasedAt: Date | null;
  /** why the newest render for this cluster failed */
  error: string | null;
  report: { revision: number; phase: ReportPhase } | undefined;
}

/** A progressive rollout's progress deadline in ms; none for other apps and for namespaces. */
export type Deadline = number | undefined;

/** Released content held longer than the progress deadline (pending content, and apps without a deadline, never are). */
export function overdue(p: Pick<PlacementState, 'pendingRevision' | 'releasedAt'>, now: Date, deadline: Deadline): boolean {
  return deadline !== undefined && p.pendingRevision === null && p.releasedAt !== null && now.getTime() - p.releasedAt.getTime() > deadline;
}

/**
 * The owner's phase on one cluster (API.md "Cluster phase for the app") and
 * why, as a pure function of the clock: a dark cluster is Unknown whatever it
 * last said; content not yet released is Pending; released content not Ready
 * within the progress deadline is Failed.
 */
export function placementPhase(p: PlacementState, now: Date, deadline: Deadline): { phase: ClusterAppPhase; message?: string } {
  if (isDark(p.clusterPhase)) return { phase: 'Unknown', message: `cluster is ${p.clusterPhase}` };
  if (p.error) return { phase: 'Failed', message: p.error };
  if (p.pendingRevision !== null) {
    return { phase: 'Pending', message: `revision ${p.pendingRevision} waits for its rollout wave` };
  }
  const reported = p.report && p.report.revision >= p.revision ? p.report.phase : undefined;
  if (reported === 'Ready' || reported === 'Failed' || reported === 'Suspended') return { phase: reported };
  if (overdue(p, now, deadline)) return { phase: 'Failed', message: `not Ready within the progress deadline (${deadline! / 1000} s)` };
  if (!reported) return { phase: 'Pending', message: `waiting for the connector to report revision ${p.revision}` };
  return { phase: 'Progressing' };
}
