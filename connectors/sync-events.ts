import type { HealthResult } from './health/index.js';

/** Events kept per object: enough to span one apply and what a controller does right after it. */
const KEPT = 16;

/**
 * The drift watch's events for the objects of the sync under way, in arrival
 * order (a watch delivers one object's events in the order they happened).
 * Once the event of the sync's own apply (its resourceVersion) has arrived,
 * the last event since is the object as it is now, as far as anything tells:
 * what those events said need not be read again from the API server.
 * resourceVersions are only compared for equality, as Kubernetes asks.
 */
export class SyncEvents {
  private readonly seen = new Map<string, { rv: string | undefined; health: HealthResult }[]>();

  note(id: string, rv: string | undefined, health: HealthResult) {
    const list = this.seen.get(id) ?? [];
    list.push({ rv, health });
    if (list.length > KEPT) list.shift();
    this.seen.set(id, list);
  }

  /** Whether any event of this object came during the sync. */
  any(id: string): boolean {
    return this.seen.has(id);
  }

  /** The health of the last event at or after the one of this resourceVersion; undefined when that one was not seen. */
  since(id: string, rv: string | undefined): HealthResult | undefined {
    const list = this.seen.get(id);
    if (rv === undefined || !list?.some((e) => e.rv === rv)) return undefined;
    return list.at(-1)!.health;
  }
}
