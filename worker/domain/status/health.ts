import type { ReportPhase } from '../../../db/schema/index.js';

export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

/**
 * What a report's resources say of one owner on one cluster (API.md "Cluster
 * phase for the app"): Failed when any is Degraded, Ready when every one is
 * Healthy, Suspended when none is Degraded, Missing or Progressing and one
 * waits on purpose, else Progressing. Stored per placement when a report
 * arrives, and applied again to the report when an app is read: one rule for both.
 */
export function reportPhase(resources: { health: Health }[]): ReportPhase {
  const has = (h: Health) => resources.some((r) => r.health === h);
  if (has('Degraded')) return 'Failed';
  if (resources.every((r) => r.health === 'Healthy')) return 'Ready';
  if (has('Suspended') && !has('Missing') && !has('Progressing')) return 'Suspended';
  return 'Progressing';
}
