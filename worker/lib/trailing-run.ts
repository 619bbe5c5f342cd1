/**
 * Work that must happen after each request, where one run covers all the
 * requests that came before it started: recounting an app's phase after
 * status reports, say. Per key, at most one run at a time and one waiting:
 * a request made while a run is under way joins the next run, which starts
 * when that one ends. A hundred reports at once cost two runs, not a hundred
 * runs queued on one row lock (each holding a pooled connection while it waits).
 */
export class TrailingRuns<K> {
  private readonly running = new Map<K, Promise<void>>();
  private readonly next = new Map<K, { promise: Promise<void>; arg: unknown }>();

  /**
   * Resolves once a run of `fn` that started after this call has finished
   * (rejects with its error). A run joined by several callers gets the last
   * caller's `arg`.
   */
  after<A>(key: K, arg: A, fn: (arg: A) => Promise<void>): Promise<void> {
    const queued = this.next.get(key);
    if (queued) {
      queued.arg = arg;
      return queued.promise;
    }
    const current = this.running.get(key);
    if (!current) return this.start(key, () => fn(arg));
    const entry = { promise: undefined as unknown as Promise<void>, arg: arg as unknown };
    entry.promise = current.catch(() => {}).then(() => {
      this.next.delete(key);
      return this.start(key, () => fn(entry.arg as A));
    });
    this.next.set(key, entry);
    return entry.promise;
  }

  private start(key: K, run: () => Promise<void>): Promise<void> {
    const p = run().finally(() => {
      if (this.running.get(key) === p) this.running.delete(key);
    });
    this.running.set(key, p);
    return p;
  }
}
