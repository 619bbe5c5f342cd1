import type { OwnerKind } from './desired.js';
import type { HealthResult } from './health/index.js';
import { reportPhase } from '../worker/domain/status/health.js';
import { refId, type ObjectRef } from './kube/types.js';

export interface ReportedResource extends HealthResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface StatusReport {
  seq: number;
  revision: number;
  apps: { kind: OwnerKind; name: string; revision: number; resources: ReportedResource[] }[];
}

interface OwnerState {
  kind: OwnerKind;
  name: string;
  revision: number;
  resources: Map<string, ReportedResource>;
}

/**
 * Per-resource health, per owner, sent with `PUT /v1/connector/status` when
 * something changed (debounced). `seq` starts from the clock and only rises,
 * so the reports of a restarted connector still win over its older ones.
 */
export class Reporter {
  private readonly owners = new Map<string, OwnerState>();
  /** set while a sync runs (see Syncer.sync): the watch events then are mostly of its own applies */
  syncing = false;
  private readonly index = new Map<string, string>();
  private revision = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private sending: Promise<void> | undefined;

  constructor(
    private readonly send: (r: StatusReport) => Promise<void>,
    private readonly debounceMs = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** Replaces what is known of one owner (after a sync). */
  setOwner(kind: OwnerKind, name: string, revision: number, resources: ReportedResource[]) {
    const key = `${kind}/${name}`;
    const old = this.owners.get(key);
    for (const id of old?.resources.keys() ?? []) this.index.delete(id);
    const map = new Map<string, ReportedResource>();
    for (const r of resources) {
      const id = refId(r);
      map.set(id, r);
      this.index.set(id, key);
    }
    this.owners.set(key, { kind, name, revision, resources: map });
    if (!old || old.revision !== revision || !sameResources(old.resources, map)) this.changed();
  }

  removeOwner(kind: OwnerKind, name: string) {
    const key = `${kind}/${name}`;
    const old = this.owners.get(key);
    if (!old) return;
    for (const id of old.resources.keys()) this.index.delete(id);
    this.owners.delete(key);
    this.changed();
  }

  /** One resource's health changed (a watch event); ignored when no owner reports it. */
  updateResource(ref: ObjectRef, h: HealthResult) {
    const id = refId(ref);
    const owner = this.owners.get(this.index.get(id) ?? '');
    const r = owner?.resources.get(id);
    if (!owner || !r || (r.health === h.health && r.message === h.message)) return;
    const next: ReportedResource = { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), ...h };
    // a new message alone moves no phase: the owner's resources are counted only when a health moves
    const before = r.health === h.health ? undefined : phaseOf(owner);
    owner.resources.set(id, next);
    this.changed();
    if (before === undefined || this.syncing) return;
    // an owner that settles (Ready, Failed, Suspended) is what the control plane waits on: say so now,
    // unless a sync is under way, whose own applies these events may be (synced() decides then)
    const after = phaseOf(owner);
    if (after !== before && after !== 'Progressing') this.sendNow();
  }

  setRevision(revision: number) {
    if (revision !== this.revision) {
      this.revision = revision;
      this.changed();
    }
  }

  healthOf(ref: ObjectRef) {
    const id = refId(ref);
    return this.owners.get(this.index.get(id) ?? '')?.resources.get(id);
  }

  build(): StatusReport {
    this.seq = Math.max(this.seq + 1, this.now());
    return {
      seq: this.seq,
      revision: this.revision,
      apps: [...this.owners.values()].map((o) => ({ kind: o.kind, name: o.name, revision: o.revision, resources: [...o.resources.values()].map(printable) })),
    };
  }

  private failures = 0;

  private changed(delay = this.debounceMs) {
    this.dirty = true;
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().then(() => (this.failures = 0), () => {
        // not sent (control plane away): try again later, capped at 30 s
        this.failures++;
        this.changed(Math.min(30_000, 500 * 2 ** this.failures));
      });
    }, delay);
  }

  /**
   * A sync just finished. What it changed goes out at once when every owner
   * has settled; while one is still on its way, its watch events settle it
   * soon (and send then), or the debounce sends what is known: one report,
   * not a Progressing one followed at once by a Ready one.
   */
  synced() {
    if ([...this.owners.values()].every((o) => phaseOf(o) !== 'Progressing')) this.sendNow();
  }

  /** What is pending goes out now rather than after the debounce, with the same retries. */
  private sendNow() {
    if (!this.dirty || this.stopped || this.failures > 0) return; // failing: the backoff decides
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed(0);
  }

  /** Sends now if anything changed; a failed send stays dirty and is retried by the caller's next flush. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending) await this.sending;
    if (!this.dirty) return;
    this.dirty = false;
    const report = this.build();
    this.sending = this.send(report).catch((e) => {
      this.dirty = true;
      throw e;
    }).finally(() => (this.sending = undefined));
    await this.sending;
  }

  get pending() {
    return this.dirty;
  }

  private stopped = false;

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** A message from the cluster may hold U+0000, which the control plane refuses (its database cannot store it). */
const printable = (r: ReportedResource): ReportedResource => (r.message?.includes('\0') ? { ...r, message: r.message.replaceAll('\0', '') } : r);

const phaseOf = (o: OwnerState) => reportPhase([...o.resources.values()]);

function sameResources(a: Map<string, ReportedResource>, b: Map<string, ReportedResource>) {
  if (a.size !== b.size) return false;
  for (const [id, r] of a) {
    const o = b.get(id);
    if (!o || o.health !== r.health || o.message !== r.message) return false;
  }
  return true;
}
