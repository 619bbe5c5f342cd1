import { NotifiedCache } from './notified-cache.js';

/**
 * A connector's idle poll asks "is my desired revision still N?" every few
 * seconds; at 100,000 clusters that is most of the traffic, and the answer
 * rarely changes. This keeps, per cluster, the credential generation that is
 * current and the desired revision, filled from the database on a miss and
 * kept fresh by the push path that wakes watches: a publish raises the
 * revision, a disconnect (revoke, delete) drops the cluster.
 */
export interface CachedCluster {
  uid: string;
  tenantId: string;
  generation: number;
  desiredRevision: number;
}

export class ClusterCache extends NotifiedCache<CachedCluster> {
  /** The cluster as cached for this credential generation, if fresh; a revoked generation never matches. */
  get(uid: string, generation: number, now: number): CachedCluster | undefined {
    const c = this.lookup(uid, now);
    return c && c.generation === generation ? c : undefined;
  }

  /** A published revision: raises a cached cluster's revision (its freshness unchanged). */
  advance(uid: string, revision: number) {
    this.changed();
    const c = this.entries.get(uid)?.value;
    if (c && revision > c.desiredRevision) c.desiredRevision = revision;
  }
}
