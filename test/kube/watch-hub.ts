import { expired } from './errors.js';

/**
 * Change events in resourceVersion order, with a bounded history so a watch
 * can resume after the version it last saw — and gets 410 Expired, as from a
 * compacted etcd, when that version has left the history.
 */
export interface Change {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  object: any;
  /** The object before this change, so a selector-filtered watch can tell "stopped matching". */
  previous?: any;
}

export type Listener = (change: Change) => void;

export class WatchHub {
  private history: Change[] = [];
  private start = 0; // index of the oldest kept change in `history` (a ring without copying)
  private compactedThrough = 0; // the newest resourceVersion no longer in the history
  private listeners = new Set<Listener>();

  constructor(private readonly limit: number) {}

  publish(change: Change): void {
    this.history.push(change);
    if (this.history.length - this.start > this.limit) {
      this.compactedThrough = this.history[this.start]!.rv;
      this.start++;
      // Drop the consumed prefix now and then, so the array does not grow without bound.
      if (this.start > 1024) { this.history = this.history.slice(this.start); this.start = 0; }
    }
    for (const l of [...this.listeners]) l(change);
  }

  /** Changes after `rv`, or 410 (naming the oldest version still resumable) when some are no longer kept. */
  since(rv: number, raw: string): Change[] {
    if (rv < this.compactedThrough) throw expired(raw, this.compactedThrough);
    const out: Change[] = [];
    for (let i = this.start; i < this.history.length; i++) if (this.history[i]!.rv > rv) out.push(this.history[i]!);
    return out;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get watcherCount() { return this.listeners.size; }
}
