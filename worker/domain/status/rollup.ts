import type { ClusterPhase } from '../clusters/phase.js';

export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Unknown';
export type ClusterAppPhase = 'Pending' | 'Progressing' | 'Ready' | 'Failed' | 'Unknown';
export type OwnerPhase = 'Ready' | 'Failed' | 'Paused' | 'Unknown' | 'Progressing';

export interface ReportedResource {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  health: Health;
  message?: string | undefined;
}

export interface PlacedCluster {
  name: string;
  clusterPhase: ClusterPhase;
  /** the owner revision whose content this cluster should hold */
  revision: number;
  /** why the newest render for this cluster failed */
  error: string | null;
  report: { revision: number; resources: ReportedResource[] } | undefined;
}

export interface ClusterAppStatus {
  name: string;
  phase: ClusterAppPhase;
  revision: number | null;
  message?: string;
  resources: ReportedResource[];
}

function clusterAppStatus(c: PlacedCluster): ClusterAppStatus {
  const reported = c.report?.resources ?? [];
  const base = { name: c.name, revision: c.report?.revision ?? null };
  if (c.clusterPhase === 'Unknown' || c.clusterPhase === 'Offline') {
    // a dark cluster's last report may no longer hold: never show it as current
    const resources = reported.map((r) => ({ ...r, health: 'Unknown' as const, message: `cluster is ${c.clusterPhase}` }));
    return { ...base, phase: 'Unknown', message: `cluster is ${c.clusterPhase}`, resources };
  }
  if (c.error) return { ...base, phase: 'Failed', message: c.error, resources: reported };
  if (!c.report || c.report.revision < c.revision) {
    return { ...base, phase: 'Pending', message: `waiting for the connector to report revision ${c.revision}`, resources: reported };
  }
  if (reported.some((r) => r.health === 'Degraded')) return { ...base, phase: 'Failed', resources: reported };
  if (reported.every((r) => r.health === 'Healthy')) return { ...base, phase: 'Ready', resources: reported };
  return { ...base, phase: 'Progressing', resources: reported };
}

/** How many clusters `status.clusters` holds at most: an app on 10,000 clusters stays a small answer (GET .../clusters pages through all). */
export const STATUS_CLUSTERS_CAP = 100;

/** Each placed cluster's status for the owner, in the order given (by name, as placedClusters reads them). */
export const clusterStatuses = (placed: PlacedCluster[]) => placed.map(clusterAppStatus);

/** By name as code units, as cursors compare them (Postgres' collation may order `-` otherwise). */
export const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The clusters that need attention (not Ready) first, then by name. */
const attentionFirst = (a: ClusterAppStatus, b: ClusterAppStatus) => Number(a.phase === 'Ready') - Number(b.phase === 'Ready') || byName(a, b);

/**
 * An app's (or federated namespace's) status from its placements, the health of
 * their clusters and the connectors' reports — a pure function, as API.md words it.
 * `generationOf` maps a reported revision back to the generation it carried.
 */
export function rollUp(generation: number, placed: PlacedCluster[], generationOf: (revision: number) => number | undefined) {
  const clusters = clusterStatuses(placed);
  const count = (...p: ClusterAppPhase[]) => clusters.filter((c) => p.includes(c.phase)).length;
  const summary = {
    clusters: clusters.length, ready: count('Ready'), progressing: count('Pending', 'Progressing'),
    failed: count('Failed'), unknown: count('Unknown'),
  };
  let phase: OwnerPhase = 'Progressing';
  if (summary.ready === summary.clusters) phase = 'Ready';
  else if (summary.failed > 0) phase = 'Failed';
  else if (summary.unknown === summary.clusters) phase = 'Unknown';
  const observed = placed.map((c) => {
    if (!c.report) return 0;
    return c.report.revision >= c.revision ? generation : (generationOf(c.report.revision) ?? 0);
  });
  return {
    phase,
    observedGeneration: observed.length ? Math.min(...observed) : generation,
    summary,
    ...(placed.length === 0 ? { message: 'no cluster matches the placement' } : {}),
    clusters: clusters.sort(attentionFirst).slice(0, STATUS_CLUSTERS_CAP),
  };
}
