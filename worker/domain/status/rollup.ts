import type { ClusterPhase } from '../clusters/phase.js';
import type { Health } from './health.js';
import { reportPhase } from './health.js';
import { placementPhase, type ClusterAppPhase, type Deadline, type PlacementState } from './placement-phase.js';

export type { Health } from './health.js';
export type { ClusterAppPhase } from './placement-phase.js';
export type OwnerPhase = 'Ready' | 'Failed' | 'Paused' | 'Unknown' | 'Progressing';

export interface ReportedResource {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  health: Health;
  message?: string | undefined;
}

export interface PlacedCluster extends Omit<PlacementState, 'report'> {
  name: string;
  clusterPhase: ClusterPhase;
  report: { revision: number; resources: ReportedResource[] } | undefined;
}

export interface ClusterAppStatus {
  name: string;
  phase: ClusterAppPhase;
  revision: number | null;
  message?: string;
  resources: ReportedResource[];
}

function clusterAppStatus(c: PlacedCluster, now: Date, deadline: Deadline): ClusterAppStatus {
  const reported = c.report?.resources ?? [];
  const report = c.report ? { revision: c.report.revision, phase: reportPhase(reported) } : undefined;
  const { phase, message } = placementPhase({ ...c, report }, now, deadline);
  // a dark cluster's last report may no longer hold: never show it as current
  const resources = phase === 'Unknown' ? reported.map((r) => ({ ...r, health: 'Unknown' as const, message: message! })) : reported;
  return { name: c.name, phase, revision: c.report?.revision ?? null, ...(message ? { message } : {}), resources };
}

/** How many clusters `status.clusters` holds at most: an app on 10,000 clusters stays a small answer (GET .../clusters pages through all). */
export const STATUS_CLUSTERS_CAP = 100;

/** Each placed cluster's status for the owner, in the order given (by name, as placedClusters reads them). */
export const clusterStatuses = (placed: PlacedCluster[], now: Date, deadline: Deadline) => placed.map((p) => clusterAppStatus(p, now, deadline));

/** By name as code units, as cursors compare them (Postgres' collation may order `-` otherwise). */
export const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The clusters that need attention (not Ready) first, then by name. */
const attentionFirst = (a: ClusterAppStatus, b: ClusterAppStatus) => Number(a.phase === 'Ready') - Number(b.phase === 'Ready') || byName(a, b);

/** Per-phase counts of an owner's clusters (API.md `summary`). */
export function summarize(phases: ClusterAppPhase[]) {
  const count = (...p: ClusterAppPhase[]) => phases.filter((x) => p.includes(x)).length;
  return {
    clusters: phases.length, ready: count('Ready'), progressing: count('Pending', 'Progressing'),
    failed: count('Failed'), unknown: count('Unknown'), suspended: count('Suspended'),
  };
}

/** The owner's phase from its clusters' (API.md "App phase"); `paused` while a progressive rollout waits. */
export function ownerPhase(summary: ReturnType<typeof summarize>, paused: boolean): OwnerPhase {
  if (paused) return 'Paused';
  if (summary.ready === summary.clusters) return 'Ready';
  if (summary.failed > 0) return 'Failed';
  if (summary.unknown === summary.clusters) return 'Unknown';
  return 'Progressing';
}

export interface RollUpOptions {
  now: Date;
  /** a progressive rollout's progress deadline, in ms */
  deadline?: Deadline;
  paused?: boolean;
}

/**
 * An app's (or federated namespace's) status from its placements, the health of
 * their clusters and the connectors' reports — a pure function, as API.md words it.
 * `generationOf` maps a reported revision back to the generation it carried.
 */
export function rollUp(generation: number, placed: PlacedCluster[], generationOf: (revision: number) => number | undefined, o: RollUpOptions) {
  const clusters = clusterStatuses(placed, o.now, o.deadline);
  const summary = summarize(clusters.map((c) => c.phase));
  const observed = placed.map((c) => {
    if (!c.report || c.pendingRevision !== null) return c.report ? (generationOf(c.report.revision) ?? 0) : 0;
    return c.report.revision >= c.revision ? generation : (generationOf(c.report.revision) ?? 0);
  });
  return {
    phase: ownerPhase(summary, o.paused ?? false),
    observedGeneration: observed.length ? Math.min(...observed) : generation,
    summary,
    ...(placed.length === 0 ? { message: 'no cluster matches the placement' } : {}),
    clusters: clusters.sort(attentionFirst).slice(0, STATUS_CLUSTERS_CAP),
  };
}
