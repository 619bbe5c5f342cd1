/** setImmediate on Node; a zero timer where there is none (workerd). */
export const nextTurn: (fn: () => void) => void =
  (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate ?? ((fn) => setTimeout(fn, 0));

/**
 * Drives batched work: once work is waiting, a turn of the event loop later
 * (so that the requests ready in the same turn join in: with the embedded
 * database, whose statements run on this thread, nothing else would gather
 * them), `take` forms a batch and `run` does it, at most `inFlight` at a time;
 * what arrives meanwhile waits for the next batch.
 */
export class BatchPump<B> {
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly take: () => B | undefined,
    private readonly run: (batch: B) => Promise<void>,
    private readonly inFlight = 2,
  ) {}

  /** Work was added. */
  kick() {
    if (this.scheduled) return;
    this.scheduled = true;
    nextTurn(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.inFlight) {
      const batch = this.take();
      if (batch === undefined) return;
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.kick();
      });
    }
  }
}
