/**
 * A connector's idle poll asks "is my desired revision still N?" every few
 * seconds; at 100,000 clusters that is most of the traffic, and the answer
 * rarely changes. This keeps, per cluster, the credential generation that is
 * current and the desired revision, filled from the database on a miss and
 * kept fresh by the push path that wakes watches: a publish raises the
 * revision, a disconnect (revoke, delete) drops the cluster.
 *
 * A read that raced a publish or a disconnect must not store what it read:
 * every change bumps `version`, and a fill carries the version seen before its
 * read. Entries older than `maxAgeMs` are read again, which bounds the harm of
 * a notification that never came. Whoever owns the cache turns it off while it
 * cannot be sure to hear of changes (a lost LISTEN connection).
 */
export interface CachedCluster {
  uid: string;
  tenantId: string;
  generation: number;
  desiredRevision: number;
}

interface Entry extends CachedCluster {
  at: number;
}

/** How long an entry is trusted without hearing of it; a lost notification costs at most this. */
export const CLUSTER_CACHE_MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 200_000;

export class ClusterCache {
  private readonly entries = new Map<string, Entry>();
  private version = 0;
  private enabled = true;

  constructor(private readonly maxAgeMs = CLUSTER_CACHE_MAX_AGE_MS, private readonly max = MAX_ENTRIES) {}

  /** The cluster as cached for this credential generation, if fresh; a revoked generation never matches. */
  get(uid: string, generation: number, now: number): CachedCluster | undefined {
    const e = this.entries.get(uid);
    if (!e || e.generation !== generation) return undefined;
    if (now - e.at > this.maxAgeMs) {
      this.entries.delete(uid);
      return undefined;
    }
    return e;
  }

  /** Taken before reading the database; hand it to `fill`. */
  mark(): number {
    return this.version;
  }

  /** Stores what was read, unless anything changed since `mark` (or the cache is off). */
  fill(row: CachedCluster, mark: number, now: number) {
    if (!this.enabled || mark !== this.version) return;
    this.entries.delete(row.uid); // re-inserted last: the oldest entry goes first when full
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(row.uid, { ...row, at: now });
  }

  /** A published revision: raises a cached cluster's revision (its freshness unchanged). */
  advance(uid: string, revision: number) {
    this.version++;
    const e = this.entries.get(uid);
    if (e && revision > e.desiredRevision) e.desiredRevision = revision;
  }

  /** The cluster's credential was revoked or the cluster deleted. */
  drop(uid: string) {
    this.version++;
    this.entries.delete(uid);
  }

  /** Forgets everything and stops (or resumes) filling, e.g. while notifications may be missed. */
  reset(enabled: boolean) {
    this.version++;
    this.enabled = enabled;
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}
