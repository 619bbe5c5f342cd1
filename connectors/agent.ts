import { DEFAULT_BACKOFF, jittered, pause, retryDelay } from './backoff.js';
import { Conditions } from './conditions.js';
import { ControlPlane, ControlPlaneError } from './control-plane.js';
import { parseDesired } from './desired.js';
import { DriftWatch } from './drift.js';
import { Enrollment, type EnrollmentOptions } from './enrollment.js';
import { healthOf } from './health/index.js';
import { describe, refOf } from './kube/types.js';
import { setRevisions, type Metrics } from './metrics.js';
import { Reporter } from './reporter.js';
import { Syncer } from './sync.js';
import { RevisionWatch } from './watch.js';
import { Gateway, type GatewayToken } from './gateway.js';

export { CONNECTOR_VERSION } from './enrollment.js';

export interface AgentOptions extends EnrollmentOptions {
  url: string;
  metrics: Metrics;
  resyncSeconds?: number;
  reportDebounceMs?: number;
  /** the gateway's identity in the cluster (a token that may only impersonate); without it gateway requests are refused */
  gatewayToken?: GatewayToken;
}

/**
 * One connector: join once, heartbeat, hear new revisions, sync, watch for
 * drift, report. Any failure to reach the control plane only delays things;
 * the objects in the cluster stay as they are.
 */
export class Agent {
  readonly cp: ControlPlane;
  readonly reporter: Reporter;
  private readonly enrollment: Enrollment;
  private syncer: Syncer | undefined;
  private drift: DriftWatch | undefined;
  private watch: RevisionWatch | undefined;
  private gateway: Gateway | undefined;
  private readonly stop = new AbortController();
  private heartbeatSeconds = 10;
  desiredRevision = 0;
  appliedRevision: number | undefined;
  lastSyncOk = false;
  revoked = false;
  registered = false;
  private wake: (() => void) | undefined;
  private syncWanted = true;
  private fullSyncWanted = true;
  private readonly pendingDrift = new Map<string, string>();
  private pokeHeartbeat: (() => void) | undefined;
  private lastHeartbeatAt = 0;
  /** a condition changed after the last heartbeat took them: the next one goes soon */
  private conditionsChanged = false;
  /** sent with every heartbeat; a change sends one soon (at most one a second) */
  readonly conditions = new Conditions(() => {
    this.conditionsChanged = true;
    this.pokeHeartbeat?.();
  });

  constructor(private readonly o: AgentOptions) {
    this.cp = new ControlPlane(o.url, () => this.enrollment.cred?.credential);
    this.reporter = new Reporter((r) => this.cp.status(r).catch((e) => this.unauthorized(e)), o.reportDebounceMs ?? 200);
    this.enrollment = new Enrollment(o, this.cp, this.stop.signal);
    this.gateway = new Gateway(o.kube.http, o.gatewayToken ?? (async () => undefined), o.log);
  }

  /** registrations made by this process (a restart with a stored credential makes none) */
  get joins() {
    return this.enrollment.joins;
  }

  get ready() {
    return this.registered && this.lastSyncOk && !this.revoked;
  }

  /** how new revisions reach it now: a WebSocket, long polls (sockets failing), or not at all yet */
  get watchMode() {
    return this.watch?.mode ?? 'idle';
  }

  readiness(): string {
    if (this.revoked) return 'credential revoked: not applying; everything applied is kept';
    if (!this.registered) return 'not registered';
    if (!this.lastSyncOk) return 'last sync did not succeed';
    return 'ok';
  }

  private async unauthorized(e: unknown): Promise<never> {
    if (e instanceof ControlPlaneError && e.unauthorized) this.markRevoked();
    throw e;
  }

  private markRevoked() {
    if (this.revoked) return;
    this.revoked = true;
    this.o.log('error', 'the control plane refused the credential (revoked or cluster deleted): stopped applying; nothing is deleted');
    this.drift?.close();
    this.watch?.close();
    this.reporter.stop();
    this.kick();
  }

  private kick() {
    this.wake?.();
  }

  async run(): Promise<void> {
    const signal = this.stop.signal;
    const joined = await this.enrollment.join();
    if (joined === 'refused') this.revoked = true;
    if (!joined || joined === 'refused' || signal.aborted) return;
    this.heartbeatSeconds = joined.heartbeatSeconds ?? this.heartbeatSeconds;
    this.registered = true;
    const tenant = joined.cred.tenant ?? '';
    this.syncer = new Syncer(this.o.kube, tenant, this.o.namespace, this.reporter, this.o.metrics, this.o.log,
      (ref) => this.drift?.tracks(ref.apiVersion, ref.kind) ?? false);
    this.drift = new DriftWatch(this.o.kube, tenant, {
      desired: (id) => this.syncer?.desiredObject(id),
      observed: (live) => {
        const health = healthOf(live);
        this.syncer?.observe(live, health);
        this.reporter.updateResource(refOf(live), health);
      },
      drifted: (id, why) => {
        this.pendingDrift.set(id, why);
        this.kick();
      },
    }, this.o.log);
    this.watch = new RevisionWatch(this.cp, () => this.enrollment.cred?.credential, {
      known: () => this.appliedRevision ?? 0,
      onRevision: (rev) => this.announce(rev),
      onUnauthorized: () => this.markRevoked(),
    }, this.o.log, this.gateway);
    void this.watch.run(signal);
    void this.heartbeats(signal);
    await this.loop(signal);
  }

  private announce(rev: number) {
    if (rev > this.desiredRevision) this.desiredRevision = rev;
    setRevisions(this.o.metrics, this.desiredRevision, this.appliedRevision ?? 0);
    if (rev !== this.appliedRevision) {
      this.syncWanted = true;
      this.kick();
    }
  }

  private async heartbeats(signal: AbortSignal) {
    let failures = 0;
    while (!signal.aborted && !this.revoked) {
      let wait: number;
      try {
        const facts = await this.enrollment.facts();
        this.lastHeartbeatAt = Date.now();
        this.conditionsChanged = false;
        const a = await this.cp.heartbeat({
          ...facts, ...(this.appliedRevision !== undefined ? { appliedRevision: this.appliedRevision } : {}), conditions: this.conditions.list(),
        });
        failures = 0;
        this.heartbeatSeconds = a.heartbeatIntervalSeconds || this.heartbeatSeconds;
        if (a.credential) await this.enrollment.renew(a.credential, a.expiresAt);
        this.announce(a.desiredRevision);
        wait = jittered(this.heartbeatSeconds * 1000, 0.1);
      } catch (e) {
        if (e instanceof ControlPlaneError && e.unauthorized) return this.markRevoked();
        this.o.metrics.heartbeatErrors.inc();
        wait = Math.min(retryDelay(failures++, e instanceof ControlPlaneError ? e.retryAfterMs : undefined, { ...DEFAULT_BACKOFF, capMs: 30_000 }), 5 * 60_000);
        this.o.log('warn', 'heartbeat failed: keeping everything as applied', { error: (e as Error).message, retryInMs: wait });
      }
      const p = pause(wait, signal);
      this.pokeHeartbeat = () => setTimeout(p.wake, Math.max(0, this.lastHeartbeatAt + 1000 - Date.now()));
      // a change while this heartbeat was on its way (no poke then) is not left for the full interval
      if (this.conditionsChanged) this.pokeHeartbeat();
      await p.done;
      this.pokeHeartbeat = undefined;
    }
  }

  /** The one place that changes the cluster: syncs, drift restores and periodic re-applies, one at a time. */
  private async loop(signal: AbortSignal) {
    let failures = 0;
    let nextResync = Date.now() + jittered((this.o.resyncSeconds ?? 300) * 1000, 0.2);
    while (!signal.aborted && !this.revoked) {
      let wait = Math.max(0, nextResync - Date.now());
      try {
        if (Date.now() >= nextResync) {
          this.fullSyncWanted = true;
          nextResync = Date.now() + jittered((this.o.resyncSeconds ?? 300) * 1000, 0.2);
        }
        if (this.syncWanted || this.fullSyncWanted) await this.syncOnce();
        else if (this.pendingDrift.size > 0) await this.restoreDrift();
        failures = 0;
        if (this.syncWanted || this.fullSyncWanted || this.pendingDrift.size > 0) continue;
      } catch (e) {
        if (e instanceof ControlPlaneError && e.unauthorized) {
          this.markRevoked();
          break;
        }
        this.lastSyncOk = false;
        this.conditions.syncFailed((e as Error).message, !(e instanceof ControlPlaneError));
        this.o.metrics.syncs.inc({ result: 'error' });
        wait = retryDelay(failures++, e instanceof ControlPlaneError ? e.retryAfterMs : undefined, { ...DEFAULT_BACKOFF, capMs: 60_000 });
        this.o.log('warn', 'sync failed: keeping everything as applied', { error: (e as Error).message, retryInMs: wait });
      }
      const p = pause(wait, signal);
      this.wake = p.wake;
      await p.done;
      this.wake = undefined;
    }
  }

  private async syncOnce() {
    const full = this.fullSyncWanted;
    this.syncWanted = false;
    this.fullSyncWanted = false;
    // 304 while unchanged: a periodic re-apply then uses the desired state already held (no second copy of it)
    let body: unknown;
    try {
      body = await this.cp.desiredState(this.appliedRevision);
    } catch (e) {
      // a periodic re-apply with the control plane away re-applies what is held (it never prunes more than that held state says)
      if (!(full && this.syncer!.last && e instanceof ControlPlaneError && !e.unauthorized)) throw e;
      body = undefined;
    }
    // 304 and not a periodic re-apply: what is applied is current
    if (body === undefined && !full && this.appliedRevision !== undefined) return;
    const desired = body === undefined ? this.syncer!.last : parseDesired(body);
    if (!desired) return;
    this.pendingDrift.clear();
    const r = await this.syncer!.sync(desired, full);
    this.drift!.track(new Set([...this.syncer!.objects.values()].map((it) => `${it.object.apiVersion}/${it.object.kind}`)));
    if (!r.complete) {
      this.syncWanted = true;
      throw new Error('the API server did not take every object: retrying (nothing was pruned)');
    }
    this.appliedRevision = r.revision;
    this.lastSyncOk = true;
    this.conditions.synced(r.revision, r.applied);
    this.reporter.setRevision(r.revision);
    this.o.metrics.syncs.inc({ result: 'ok' });
    this.o.metrics.lastSync.set(Date.now() / 1000);
    setRevisions(this.o.metrics, Math.max(this.desiredRevision, r.revision), r.revision);
    this.reporter.synced();
  }

  private async restoreDrift() {
    const batch = [...this.pendingDrift];
    this.pendingDrift.clear();
    let failed: unknown;
    for (const [id, why] of batch) {
      try {
        const live = await this.syncer!.restore(id, why);
        if (live) this.conditions.driftRestored(describe(refOf(live)), why);
      } catch (e) {
        failed ??= e;
      }
    }
    // e.g. its namespace was deleted with it: a full sync looks at everything again (and creates the namespace)
    if (failed) {
      this.fullSyncWanted = true;
      throw failed;
    }
  }

  async close() {
    this.stop.abort();
    this.kick();
    this.drift?.close();
    this.watch?.close();
    this.gateway?.close();
    this.reporter.stop();
    this.cp.close();
  }
}
