import { BatchPump } from './batch-pump.js';

type Waiter<V> = { resolve: (v: V | undefined) => void; reject: (e: unknown) => void };

/**
 * Reads that arrive together go to the database together: every key asked
 * while a read is being formed is read with one query (see BatchPump). A lone
 * read waits for nothing but a turn of the event loop; a burst (a fan-out's
 * thousands of connectors fetching their desired state at once) costs one
 * round trip per few dozen requests instead of one each, which is what a pool
 * of ten connections could not keep up with. A key asked twice is read once.
 */
export class BatchLoader<K, V> {
  private waiting = new Map<K, Waiter<V>[]>();
  private readonly pump = new BatchPump(() => this.take(), (batch) => this.run(batch));

  constructor(private readonly read: (keys: K[]) => Promise<Map<K, V>>, private readonly maxKeys = 500) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      this.pump.kick();
    });
  }

  private take(): Map<K, Waiter<V>[]> | undefined {
    if (this.waiting.size === 0) return undefined;
    const batch = new Map<K, Waiter<V>[]>();
    for (const [k, list] of this.waiting) {
      if (batch.size >= this.maxKeys) break;
      batch.set(k, list);
    }
    for (const k of batch.keys()) this.waiting.delete(k);
    return batch;
  }

  private async run(batch: Map<K, Waiter<V>[]>) {
    try {
      const found = await this.read([...batch.keys()]);
      for (const [k, list] of batch) for (const w of list) w.resolve(found.get(k));
    } catch (err) {
      for (const list of batch.values()) for (const w of list) w.reject(err);
    }
  }
}
