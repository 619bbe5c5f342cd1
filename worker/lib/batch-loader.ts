/**
 * Reads that arrive together go to the database together: each `load(key)`
 * waits for the next turn of the event loop, then every key asked meanwhile is
 * read with one query. While `inFlight` reads are under way, new keys gather
 * for the next one. A lone read waits for nothing but that turn; a burst (a
 * fan-out's thousands of connectors fetching their desired state at once)
 * costs one round trip per few dozen requests instead of one each, which is
 * what a pool of ten connections could not keep up with.
 */
export class BatchLoader<K, V> {
  private waiting = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly read: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxKeys = 500,
    private readonly inFlight = 2,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    nextTurn(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.inFlight && this.waiting.size > 0) {
      const batch = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
      for (const [k, list] of this.waiting) {
        if (batch.size >= this.maxKeys) break;
        batch.set(k, list);
      }
      for (const k of batch.keys()) this.waiting.delete(k);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  private async run(batch: Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>) {
    try {
      const found = await this.read([...batch.keys()]);
      for (const [k, list] of batch) for (const w of list) w.resolve(found.get(k));
    } catch (err) {
      for (const list of batch.values()) for (const w of list) w.reject(err);
    }
  }
}

/** setImmediate on Node; a zero timer where there is none (workerd). */
export const nextTurn: (fn: () => void) => void =
  (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate ?? ((fn) => setTimeout(fn, 0));
