import { Applier, type ApplyOutcome, type Item } from './applier.js';
import { ownerKey, type Desired, type OwnerKind } from './desired.js';
import { divergence } from './divergence.js';
import { eachLimit } from './limit.js';
import { healthOf, type HealthResult } from './health/index.js';
import { entryOf, InventoryStore, staleEntries, type Inventory, type InventoryEntry } from './inventory.js';
import type { KubeClient } from './kube/client.js';
import { describe, refId, refOf, type KubeObject } from './kube/types.js';
import type { Log } from './log.js';
import type { Metrics } from './metrics.js';
import { prune } from './prune.js';
import type { Reporter } from './reporter.js';
import { SyncEvents } from './sync-events.js';

export interface SyncResult {
  revision: number;
  /** false when the API server could not be reached for some of it: retried, and nothing was pruned */
  complete: boolean;
  applied: number;
  pruned: number;
}

const sameEntries = (a: InventoryEntry[], b: InventoryEntry[]) =>
  a.length === b.length && a.every((e, i) => e.id === b[i]!.id && e.v === b[i]!.v);
const sorted = (es: InventoryEntry[]) => [...new Map(es.map((e) => [e.id, e])).values()].sort((a, b) => a.id.localeCompare(b.id));

/**
 * One desired state → the cluster: apply everything (Applier), record what is
 * owned in the inventories, prune what is owned and no longer desired. The
 * desired state given here was read from the control plane successfully: an
 * unreachable control plane never gets here, so it never prunes anything.
 */
export class Syncer {
  private readonly applier: Applier;
  private readonly inventories: InventoryStore;
  /** the objects as last applied, by id: the reference for drift */
  objects = new Map<string, Item>();
  /** the objects of the sync under way, as they go out */
  private applying: Map<string, Item> | undefined;
  /** the watch's events while a sync runs */
  private events: SyncEvents | undefined;
  last: Desired | undefined;

  constructor(
    private readonly kube: KubeClient,
    private readonly tenant: string,
    connectorNamespace: string,
    private readonly reporter: Reporter,
    private readonly metrics: Metrics,
    private readonly log: Log,
    /** whether the drift watch holds this kind (its events reach the reporter: DriftWatch.tracks); none: read again what the sync saw not settle */
    private readonly watched: (ref: { apiVersion: string; kind: string }) => boolean = () => false,
  ) {
    this.applier = new Applier(kube, metrics, log);
    this.inventories = new InventoryStore(kube, connectorNamespace);
  }

  /** `full`: read the inventories and the target namespaces from the cluster again rather than trusting what is held. */
  async sync(d: Desired, full = false): Promise<SyncResult> {
    this.reporter.syncing = true;
    this.events = new SyncEvents();
    try {
      return await this.syncOnce(d, full);
    } finally {
      this.reporter.syncing = false;
      this.events = undefined;
    }
  }

  /** A drift-watch event: kept while a sync runs, for the objects it applies (see lookAgain). */
  observe(live: KubeObject, health: HealthResult) {
    const id = refId(refOf(live));
    if (this.events && (this.applying ?? this.objects).has(id)) this.events.note(id, live.metadata.resourceVersion, health);
  }

  private async syncOnce(d: Desired, full: boolean): Promise<SyncResult> {
    if (full) this.applier.forget();
    const invs = await this.inventories.load(full);
    const inInventory = (key: string, id: string) => invs.get(key)?.entries.some((e) => e.id === id) ?? false;
    this.applying = new Map();
    let outcome: ApplyOutcome;
    try {
      outcome = await this.applier.apply(d, this.tenant, inInventory, this.applying);
    } finally {
      this.applying = undefined;
    }
    this.objects = outcome.objects;
    // everything desired, raw and as scoped: nothing desired is ever pruned
    const desiredIds = new Set<string>();
    for (const o of d.owners) for (const obj of o.objects) desiredIds.add(refId(refOf(obj)));
    for (const refs of outcome.refs.values()) for (const r of refs) desiredIds.add(refId(r));
    let pruned = 0;
    const complete = outcome.transient === 0;

    for (const owner of d.owners) {
      const key = ownerKey(owner.kind, owner.name);
      const prev = invs.get(key);
      const old = prev?.entries ?? [];
      const oldIds = new Set(old.map((e) => e.id));
      // owned now: applied, or listed before (an object that failed to apply may still be there)
      const owned = (outcome.refs.get(key) ?? []).filter((r) => outcome.applied.has(refId(r)) || oldIds.has(refId(r))).map(entryOf);
      const ownedIds = new Set(owned.map((e) => e.id));
      const stale = complete ? staleEntries(old, desiredIds) : old.filter((e) => !ownedIds.has(e.id));
      const inv: Inventory = { owner: { kind: owner.kind, name: owner.name }, revision: owner.revision, deletionPolicy: owner.deletionPolicy, entries: sorted([...owned, ...stale]) };
      // the revision is informative: a sync that changes only the revision does not write the inventory
      if (!prev || prev.deletionPolicy !== inv.deletionPolicy || !sameEntries(sorted(prev.entries), inv.entries)) await this.inventories.save(inv);
      if (complete && stale.length > 0) {
        const keep = await prune(this.kube, this.metrics, this.log, { tenant: this.tenant, ...inv.owner }, owner.deletionPolicy, stale);
        pruned += stale.length - keep.length;
        await this.inventories.save({ ...inv, entries: sorted([...owned, ...keep]) });
      }
      this.reporter.setOwner(owner.kind, owner.name, owner.revision, outcome.reports.get(key) ?? []);
    }
    await this.lookAgain(outcome);

    // owners no longer desired at all: prune what they own, then forget them
    if (complete) {
      const wanted = new Set(d.owners.map((o) => ownerKey(o.kind, o.name)));
      for (const [key, inv] of invs) {
        if (wanted.has(key)) continue;
        const stale = staleEntries(inv.entries, desiredIds);
        const keep = await prune(this.kube, this.metrics, this.log, { tenant: this.tenant, ...inv.owner }, inv.deletionPolicy, stale);
        pruned += stale.length - keep.length;
        if (keep.length === 0) await this.inventories.remove(inv.owner);
        else await this.inventories.save({ ...inv, entries: keep });
        this.reporter.removeOwner(inv.owner.kind as OwnerKind, inv.owner.name);
        this.log('info', 'owner removed', { owner: key, pruned: stale.length - keep.length, kept: keep.length });
      }
    }

    this.last = d;
    this.metrics.ownedObjects.set(outcome.applied.size);
    this.log('info', 'synced', { revision: d.revision, applied: outcome.applied.size, pruned, complete });
    return { revision: d.revision, complete, applied: outcome.applied.size, pruned };
  }

  /**
   * The health an apply answered with is as of that apply; a controller can
   * change it (a Deployment made available) while the rest of the sync runs,
   * and the drift watch's event for that came before setOwner replaced what
   * the watch had reported: the report would stay at the apply's health until
   * the next event or re-apply. So what was applied and is not Healthy is
   * taken from the watch's events since the apply, when the apply's own event
   * has come (SyncEvents). When no event of the object has come at all and
   * its kind's watch holds, every event from the apply on is still to come, after
   * setOwner, and keeps it current: nothing is read (a watch delivers one
   * object's events in order, and one that breaks resumes or lists again).
   * Otherwise (an event came that may be a list's, newer than the apply, or
   * the kind's watch does not hold) it is read once more after setOwner.
   */
  private async lookAgain(outcome: ApplyOutcome) {
    // applied for this owner (not an object another owner claimed first) and not Healthy
    const stale = [...outcome.reports].flatMap(([key, rs]) => rs.filter((r) => {
      const it = outcome.objects.get(refId(r));
      return r.health !== 'Healthy' && outcome.applied.has(refId(r)) && it !== undefined && ownerKey(it.owner.kind, it.owner.name) === key;
    }));
    const unread: typeof stale = [];
    let awaited = 0;
    for (const r of stale) {
      const told = this.events?.since(refId(r), outcome.applied.get(refId(r)));
      if (told) this.reporter.updateResource(r, told);
      else if (!this.events?.any(refId(r)) && this.watched(r)) awaited++;
      else unread.push(r);
    }
    this.metrics.healthReads.inc({ read: 'watched' }, stale.length - unread.length - awaited);
    this.metrics.healthReads.inc({ read: 'awaited' }, awaited);
    this.metrics.healthReads.inc({ read: 'get' }, unread.length);
    await eachLimit(unread, 8, async (r) => {
      const live = await this.kube.get(r).catch(() => undefined);
      if (live) this.reporter.updateResource(r, healthOf({ ...live, apiVersion: r.apiVersion, kind: r.kind }));
    });
  }

  /**
   * What drift is judged against: the object as this sync applies it, else as
   * the last one did. Judged against the previous revision, the watch event of
   * the sync's own apply looked like drift (and cost a read to dismiss).
   */
  desiredObject(id: string): KubeObject | undefined {
    return (this.applying?.get(id) ?? this.objects.get(id))?.object;
  }

  /** Re-applies one owned object that drifted (or was deleted) in the cluster. */
  async restore(id: string, why: string): Promise<KubeObject | undefined> {
    const it = this.objects.get(id);
    if (!it) return undefined;
    // a watch event can be older than the last apply: look again before calling it drift
    const current = await this.kube.get(it.object);
    if (current && !current.metadata.deletionTimestamp && !divergence(it.object, current)) return undefined;
    const live = await this.kube.apply(it.object, true);
    this.metrics.driftRestored.inc();
    this.metrics.applies.inc();
    this.log('info', 'drift restored', { reason: 'DriftRestored', object: describe(refOf(it.object)), owner: ownerKey(it.owner.kind, it.owner.name), why });
    this.reporter.updateResource(refOf(live), healthOf(live));
    return live;
  }
}
