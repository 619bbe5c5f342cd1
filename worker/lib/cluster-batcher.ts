import { BatchPump } from './batch-pump.js';
import { isDatabaseUnavailable } from './db-errors.js';

interface Waiting<W, R> {
  write: W;
  resolve(result: R | undefined): void;
  reject(err: unknown): void;
}

/**
 * Group commit for per-cluster writes (heartbeats, status reports): while a
 * batch is being written, the writes that arrive queue up and go together in
 * the next one. A lone write waits for nothing; under load, one statement
 * carries hundreds. At most one write per cluster in a batch (a statement
 * cannot touch a row twice), and a batch is in cluster order, so that two
 * batches (two replicas) lock rows in the same order and cannot deadlock.
 */
export class ClusterBatcher<W extends { clusterUid: string }, R> {
  private queue: Waiting<W, R>[] = [];
  private readonly pump: BatchPump<Waiting<W, R>[]>;
  /** batches written, rows in them, and rows written again alone after their batch failed: what tests read */
  stats = { batches: 0, rows: 0, retried: 0 };

  /**
   * `writeBatch` answers per cluster; a cluster it leaves out resolves
   * undefined. A batch holds at most `max.rows` writes and, past its first,
   * only as many as keep the summed `max.weigh` (bytes, say) within `max.weight`.
   */
  constructor(
    private readonly writeBatch: (batch: W[]) => Promise<Map<string, R>>,
    private readonly max: { rows: number; weight?: number; weigh?: (w: W) => number },
    inFlight: number,
  ) {
    this.pump = new BatchPump(() => this.take(), (batch) => this.run(batch), inFlight);
  }

  write(write: W): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.pump.kick();
    });
  }

  /** The oldest waiting writes, one per cluster (a second one of a cluster waits for the next batch). */
  private take(): Waiting<W, R>[] | undefined {
    if (this.queue.length === 0) return undefined;
    const seen = new Set<string>();
    const batch: Waiting<W, R>[] = [];
    const rest: Waiting<W, R>[] = [];
    let weight = 0;
    for (const w of this.queue) {
      const more = this.max.weigh?.(w.write) ?? 0;
      const fits = batch.length === 0 || weight + more <= (this.max.weight ?? Infinity);
      if (batch.length < this.max.rows && fits && !seen.has(w.write.clusterUid)) {
        seen.add(w.write.clusterUid);
        weight += more;
        batch.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    return batch.sort((x, y) => (x.write.clusterUid < y.write.clusterUid ? -1 : 1));
  }

  private async run(batch: Waiting<W, R>[]) {
    try {
      const results = await this.writeBatch(batch.map((w) => w.write));
      this.stats.batches++;
      this.stats.rows += batch.length;
      for (const w of batch) w.resolve(results.get(w.write.clusterUid));
    } catch (err) {
      // a database that cannot serve (unreachable, or past the statement time limit) fails them all at once:
      // one at a time, each would wait as long again
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      // one write the database refuses (or a deadlock) must not fail the others, another tenant's among them:
      // each goes again alone, and only the one at fault fails
      this.stats.retried += batch.length;
      for (const w of batch) await this.run([w]);
    }
  }
}
