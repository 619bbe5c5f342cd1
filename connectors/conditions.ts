/** A condition as the heartbeat carries it (API.md: cluster `status.conditions`). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/**
 * What the connector says about its cluster, as Kubernetes conditions:
 * `Ready` (it can apply: the API server answers), `Synced` (the newest desired
 * revision is applied), and `DriftRestored` once something it owns was changed
 * in the cluster and put back (its time is the last restore's).
 */
export class Conditions {
  private readonly byType = new Map<string, Condition>();
  private restored = 0;

  constructor(private readonly onChange: () => void = () => {}, private readonly now: () => Date = () => new Date()) {}

  /** Sets one condition; its transition time moves only when its status does. */
  set(type: string, status: Condition['status'], reason: string, text: string) {
    // U+0000 (in an error's text, say) is refused by the control plane, whose database cannot store it
    const message = text.replaceAll('\0', '').slice(0, 2048);
    const prev = this.byType.get(type);
    if (prev && prev.status === status && prev.reason === reason && prev.message === message) return;
    const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : this.now().toISOString();
    this.byType.set(type, { type, status, reason, message, lastTransitionTime });
    this.onChange();
  }

  synced(revision: number, objects: number) {
    this.set('Ready', 'True', 'APIServerReachable', 'the API server takes what is applied');
    this.set('Synced', 'True', 'Applied', `revision ${revision} applied (${objects} objects)`);
  }

  /** `apiServer`: the failure was the cluster's API server, not the control plane. */
  syncFailed(message: string, apiServer: boolean) {
    if (apiServer) this.set('Ready', 'False', 'APIServerUnavailable', message);
    this.set('Synced', 'False', 'SyncFailed', message);
  }

  driftRestored(object: string, why: string) {
    this.restored++;
    // every restore is news: its time is when it happened, not when the first one did
    this.byType.delete('DriftRestored');
    this.set('DriftRestored', 'True', 'DriftRestored', `${object} ${why}; restored (${this.restored} since the connector started)`);
  }

  list(): Condition[] {
    return [...this.byType.values()];
  }
}
