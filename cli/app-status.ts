import { byWave, rolloutHeader, rolloutOf, type App, type ClusterStatus } from './rollout.js';

const clusterLine = (width: number) => (c: ClusterStatus) => {
  const unhealthy = c.resources.filter((r) => r.health !== 'Healthy');
  const detail = unhealthy.map((r) => `${r.kind}/${r.name} ${r.health}${r.message ? ` (${r.message})` : ''}`).join(', ');
  return `  ${c.name.padEnd(width)}  ${c.phase.padEnd(11)} revision ${c.revision ?? '-'}  ${c.resources.length} resources${detail ? `: ${detail}` : ''}`;
};

/**
 * The app's status as lines: its phase, the rollout when there is one, then one
 * line per cluster with its resources' health, grouped by wave during a
 * progressive rollout. `clusters` replaces status.clusters (at most 100 of
 * them) when the caller read every placed cluster.
 */
export function statusLines(app: App, clusters: ClusterStatus[] = app.status.clusters): string[] {
  const s = app.status;
  const sum = s.summary;
  const head = `app/${app.metadata.name} ${s.phase}: ${sum.ready}/${sum.clusters} clusters ready` +
    `${sum.progressing ? `, ${sum.progressing} progressing` : ''}${sum.failed ? `, ${sum.failed} failed` : ''}${sum.unknown ? `, ${sum.unknown} unknown` : ''}` +
    ` (generation ${app.metadata.generation}, observed ${s.observedGeneration})${s.message ? ` – ${s.message}` : ''}`;
  const line = clusterLine(Math.max(0, ...clusters.map((c) => c.name.length)));
  const rollout = rolloutOf(app);
  const rows = rollout ? [rolloutHeader(rollout), ...byWave(clusters, rollout, line)] : clusters.map(line);
  const hidden = sum.clusters - clusters.length;
  return [head, ...rows, ...(hidden > 0 ? [`  … and ${hidden} more clusters (those not Ready are shown first)`] : [])];
}
