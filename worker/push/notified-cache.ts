/**
 * A per-process cache of rows that hot requests would otherwise read on every
 * call, kept fresh by the push path's notifications instead of by expiry:
 * whoever changes a row tells every replica to drop it (or what it belongs
 * to), once the change is committed.
 *
 * A read that raced such a change must not store what it read: every change
 * bumps `version`, and a fill carries the version seen before its read.
 * Entries older than `maxAgeMs` are read again, which bounds the harm of a
 * notification that never came. Whoever owns the cache turns it off while it
 * cannot be sure to hear of changes (a lost LISTEN connection).
 */
interface Entry<V> {
  value: V;
  at: number;
}

/** How long an entry is trusted without hearing of it; a lost notification costs at most this. */
export const NOTIFIED_CACHE_MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 200_000;

export class NotifiedCache<V> {
  protected readonly entries = new Map<string, Entry<V>>();
  private version = 0;
  private enabled = true;

  constructor(private readonly maxAgeMs = NOTIFIED_CACHE_MAX_AGE_MS, private readonly max = MAX_ENTRIES) {}

  /** The value if cached and fresh. */
  protected lookup(key: string, now: number): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.at > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Taken before reading the database; hand it to `fill`. */
  mark(): number {
    return this.version;
  }

  /** Stores what was read, unless anything changed since `mark` (or the cache is off). */
  fill(key: string, value: V, mark: number, now: number) {
    if (!this.enabled || mark !== this.version) return;
    this.entries.delete(key); // re-inserted last: the oldest entry goes first when full
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, at: now });
  }

  /** Something changed: reads under way must not store what they read. */
  protected changed() {
    this.version++;
  }

  drop(key: string) {
    this.changed();
    this.entries.delete(key);
  }

  /** Drops every entry whose value matches. */
  dropWhere(match: (v: V) => boolean) {
    this.changed();
    for (const [k, e] of this.entries) if (match(e.value)) this.entries.delete(k);
  }

  /** Forgets everything and stops (or resumes) filling, e.g. while notifications may be missed. */
  reset(enabled: boolean) {
    this.changed();
    this.enabled = enabled;
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}
