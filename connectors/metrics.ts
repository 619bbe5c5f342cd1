import { Counter, Gauge, Registry } from 'prom-client';

/** The connector's Prometheus metrics, on their own registry (a simulation runs many connectors in one process). */
export function createMetrics(labels: Record<string, string> = {}) {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  const reg = { registers: [registry] };
  return {
    registry,
    applies: new Counter({ name: 'fleetplane_connector_applies_total', help: 'Objects applied with server-side apply', ...reg }),
    applyErrors: new Counter({ name: 'fleetplane_connector_apply_errors_total', help: 'Objects the API server refused or that could not be applied', ...reg }),
    prunes: new Counter({ name: 'fleetplane_connector_prunes_total', help: 'Owned objects deleted because they are no longer desired', ...reg }),
    orphaned: new Counter({ name: 'fleetplane_connector_orphaned_total', help: 'Objects no longer desired and left in place (deletion policy Orphan)', ...reg }),
    driftRestored: new Counter({ name: 'fleetplane_connector_drift_restored_total', help: 'Owned objects changed or deleted in the cluster and restored', ...reg }),
    syncs: new Counter({ name: 'fleetplane_connector_syncs_total', help: 'Syncs by result', labelNames: ['result'] as const, ...reg }),
    lastSync: new Gauge({ name: 'fleetplane_connector_last_successful_sync_timestamp_seconds', help: 'Unix time of the last sync that completed', ...reg }),
    desiredRevision: new Gauge({ name: 'fleetplane_connector_desired_revision', help: 'Desired revision last heard from the control plane', ...reg }),
    appliedRevision: new Gauge({ name: 'fleetplane_connector_applied_revision', help: 'Revision applied in the cluster', ...reg }),
    revisionLag: new Gauge({ name: 'fleetplane_connector_revision_lag', help: 'Desired revision minus applied revision', ...reg }),
    heartbeatErrors: new Counter({ name: 'fleetplane_connector_heartbeat_errors_total', help: 'Heartbeats that failed', ...reg }),
    healthReads: new Counter({
      name: 'fleetplane_connector_health_rechecks_total',
      help: 'Applied objects not Healthy at their apply, after a sync: health taken from the watch events since the apply (watched), left to the watch events still to come (awaited) or read again (get)',
      labelNames: ['read'] as const, ...reg,
    }),
    ownedObjects: new Gauge({ name: 'fleetplane_connector_owned_objects', help: 'Objects in the inventories', ...reg }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function setRevisions(m: Metrics, desired: number, applied: number) {
  m.desiredRevision.set(desired);
  m.appliedRevision.set(applied);
  m.revisionLag.set(Math.max(0, desired - applied));
}
