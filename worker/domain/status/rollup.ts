import type { Health } from './health.js';
import { placementPhase, type ClusterAppPhase, type Deadline } from './placement-phase.js';
import type { PlacedState } from './placement-states.js';

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

/** One cluster's status for the owner, before its reported resources are added. */
export interface ClusterPhaseOf {
  uid: string;
  name: string;
  phase: ClusterAppPhase;
  revision: number | null;
  message?: string;
}

export interface ClusterAppStatus extends Omit<ClusterPhaseOf, 'uid'> {
  resources: ReportedResource[];
}

/** Each placed cluster's phase for the owner, as of `now`. */
export const clusterPhases = (placed: PlacedState[], now: Date, deadline: Deadline): ClusterPhaseOf[] =>
  placed.map((p) => ({ uid: p.uid, name: p.name, ...placementPhase(p, now, deadline), revision: p.report?.revision ?? null }));

/** The statuses with their reported resources; a dark cluster's are Unknown: its last report may no longer hold. */
export function withResources(shown: ClusterPhaseOf[], resources: Map<string, ReportedResource[]>): ClusterAppStatus[] {
  return shown.map(({ uid, ...s }) => {
    const reported = resources.get(uid) ?? [];
    return { ...s, resources: s.phase === 'Unknown' ? reported.map((r) => ({ ...r, health: 'Unknown' as const, message: s.message! })) : reported };
  });
}

/** How many clusters `status.clusters` holds at most: an app on 10,000 clusters stays a small answer (GET .../clusters pages through all). */
export const STATUS_CLUSTERS_CAP = 100;

/** By name as code units, as cursors compare them (Postgres' collation may order `-` otherwise). */
export const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The clusters that need attention (not Ready) first, then by name. */
export const attentionFirst = (a: ClusterPhaseOf, b: ClusterPhaseOf) => Number(a.phase === 'Ready') - Number(b.phase === 'Ready') || byName(a, b);

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
 * their clusters and the connectors' verdicts — a pure function, as API.md
 * words it. `generationOf` maps a reported revision back to the generation it
 * carried. `shown` are the clusters `status.clusters` holds, without resources yet.
 */
export function rollUp(generation: number, placed: PlacedState[], generationOf: (revision: number) => number | undefined, o: RollUpOptions) {
  const clusters = clusterPhases(placed, o.now, o.deadline);
  const summary = summarize(clusters.map((c) => c.phase));
  const observed = placed.map((c) => {
    if (!c.report) return 0;
    if (c.pendingRevision === null && c.report.revision >= c.revision) return generation;
    return generationOf(c.report.revision) ?? 0;
  });
  return {
    phase: ownerPhase(summary, o.paused ?? false),
    observedGeneration: observed.length ? Math.min(...observed) : generation,
    summary,
    ...(placed.length === 0 ? { message: 'no cluster matches the placement' } : {}),
    shown: clusters.sort(attentionFirst).slice(0, STATUS_CLUSTERS_CAP),
  };
}
