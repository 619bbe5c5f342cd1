import type { Db } from '../../../db/client.js';
import type { ReportedApp } from '../../../db/schema/index.js';
import type { Pushes } from '../placement/sync.js';
import { connectorCluster } from './connector-cluster.js';
import type { ConnectorIdentity } from './heartbeat.js';
import { writeReport } from './status-batch.js';

export interface StatusReport {
  seq: number;
  revision: number;
  apps: ReportedApp[];
}

/**
 * Stores a status report, with whichever others arrive meanwhile (see
 * status-batch.ts), and updates the verdicts it changes, the phases of their
 * apps and any rollout they move. Returns the desired revisions to publish.
 */
export async function ingestStatus(db: Db, who: ConnectorIdentity, report: StatusReport, now: Date, write = writeReport): Promise<Pushes> {
  const pushes = await write(db, {
    clusterUid: who.clusterUid, generation: who.generation, seq: report.seq, revision: report.revision,
    apps: report.apps, appsJson: JSON.stringify(report.apps), at: now,
  });
  if (pushes) return pushes;
  await connectorCluster(db, who); // nothing stored: a stale report, or a revoked credential (401)
  return [];
}
