import { DEFAULT_BACKOFF, jittered, pause, retryDelay, sleep } from './backoff.js';
import { Conditions } from './conditions.js';
import { ControlPlane, ControlPlaneError, type ClusterFacts } from './control-plane.js';
import { tokenHash, type CredentialStore, type StoredCredential } from './credential-store.js';
import { parseDesired } from './desired.js';
import { DriftWatch } from './drift.js';
import { healthOf } from './health/index.js';
import type { KubeClient } from './kube/client.js';
import { KubeError } from './kube/http.js';
import { describe, refOf } from './kube/types.js';
import type { Log } from './log.js';
import { setRevisions, type Metrics } from './metrics.js';
import { Reporter } from './reporter.js';
import { Syncer } from './sync.js';
import { RevisionWatch } from './watch.js';

export const CONNECTOR_VERSION = '0.1.0';

export interface AgentOptions {
  url: string;
  joinToken: string | undefined;
  namespace: string;
  kube: KubeClient;
  store: CredentialStore;
  metrics: Metrics;
  log: Log;
  resyncSeconds?: number;
  reportDebounceMs?: number;
}

/**
 * One connector: join once, heartbeat, hear new revisions, sync, watch for
 * drift, report. Any failure to reach the control plane only delays things;
 * the objects in the cluster stay as they are.
 */
export class Agent {
  readonly cp: ControlPlane;
  readonly reporter: Reporter;
  private cred: StoredCredential | undefined;
  private syncer: Syncer | undefined;
  private drift: DriftWatch | undefined;
  private watch: RevisionWatch | undefined;
  private readonly stop = new AbortController();
  private facts: ClusterFacts = { kubernetesVersion: 'unknown', nodeCount: 0 };
  private factsAt = 0;
  private heartbeatSeconds = 10;
  desiredRevision = 0;
  appliedRevision: number | undefined;
  lastSyncOk = false;
  revoked = false;
  registered = false;
  /** registrations made by this process (a restart with a stored credential makes none) */
  joins = 0;
  private wake: (() => void) | undefined;
  private syncWanted = true;
  private fullSyncWanted = true;
  private readonly pendingDrift = new Map<string, string>();
  private pokeHeartbeat: (() => void) | undefined;
  private lastHeartbeatAt = 0;
  /** sent with every heartbeat; a change sends one soon (at most one a second) */
  readonly conditions = new Conditions(() => this.pokeHeartbeat?.());

  constructor(private readonly o: AgentOptions) {
    this.cp = new ControlPlane(o.url, () => this.cred?.credential);
    this.reporter = new Reporter((r) => this.cp.status(r).catch((e) => this.unauthorized(e)), o.reportDebounceMs ?? 200);
  }

  get ready() {
    return this.registered && this.lastSyncOk && !this.revoked;
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

  private async readFacts(): Promise<ClusterFacts> {
    const version = await this.o.kube.getPath<{ gitVersion?: string }>('/version').catch(() => undefined);
    let nodeCount = 0;
    try {
      // one item and the count of the rest: node objects are large and clusters can have thousands
      const page = await this.o.kube.list('v1', 'Node', { limit: 1 });
      nodeCount = page.items.length + Number((page.metadata as { remainingItemCount?: number }).remainingItemCount ?? 0);
    } catch (e) {
      if (!(e instanceof KubeError && (e.code === 403 || e.code === 404))) throw e;
    }
    return { kubernetesVersion: version?.gitVersion ?? 'unknown', nodeCount };
  }

  /**
   * A stored credential is used as it is, unless the environment brings a join
   * token other than the one it came from (the install manifest applied again,
   * after a revoke): that token is swapped, and if the control plane refuses it
   * the stored credential stays in use.
   */
  private async join(signal: AbortSignal) {
    let stored: StoredCredential | undefined;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        stored ??= await this.o.store.load();
        const fresh = this.o.joinToken && stored?.joinTokenSha256 !== tokenHash(this.o.joinToken);
        if (stored && !fresh) {
          this.cred = stored;
          return;
        }
        if (!this.o.joinToken) throw new Error('no stored credential and FLEETPLANE_JOIN_TOKEN is unset');
        this.facts = await this.readFacts();
        const r = await this.cp.register(this.o.joinToken, { ...this.facts, connectorVersion: CONNECTOR_VERSION });
        this.joins++;
        this.cred = {
          credential: r.credential, expiresAt: r.expiresAt, clusterUid: r.cluster.uid, tenant: r.cluster.tenant, cluster: r.cluster.name,
          joinTokenSha256: tokenHash(this.o.joinToken),
        };
        this.heartbeatSeconds = r.heartbeatIntervalSeconds;
        await this.saveCredential();
        this.o.log('info', 'registered', { tenant: r.cluster.tenant, cluster: r.cluster.name });
        return;
      } catch (e) {
        if (e instanceof ControlPlaneError && (e.status === 401 || e.status === 400) && stored) {
          this.o.log('warn', 'a new join token was refused: keeping the stored credential', { error: (e as Error).message });
          this.cred = { ...stored, joinTokenSha256: tokenHash(this.o.joinToken!) };
          await this.saveCredential().catch(() => undefined);
          return;
        }
        if (e instanceof ControlPlaneError && (e.status === 401 || e.status === 400)) {
          this.o.log('error', 'the join token was refused (used, expired or unknown): create a new one and apply the install manifest again', { error: (e as Error).message });
          this.revoked = true;
          return;
        }
        const wait = retryDelay(attempt, e instanceof ControlPlaneError ? e.retryAfterMs : undefined);
        this.o.log('warn', 'could not register', { error: (e as Error).message, retryInMs: wait });
        await sleep(wait, signal);
      }
    }
  }

  private async saveCredential() {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.store.save(this.cred!);
      } catch (e) {
        if (attempt >= 5) throw e;
        await sleep(retryDelay(attempt, undefined, { baseMs: 500, capMs: 5000 }), this.stop.signal);
      }
    }
  }

  private kick() {
    this.wake?.();
  }

  /** Its own namespace (the install manifest makes it; a connector run by hand may not have one). */
  private async ensureNamespace() {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: this.o.namespace };
    try {
      if (!(await this.o.kube.get(ref))) await this.o.kube.create({ ...ref, metadata: { name: this.o.namespace } });
    } catch (e) {
      this.o.log('warn', 'could not check the connector namespace', { namespace: this.o.namespace, error: (e as Error).message });
    }
  }

  async run(): Promise<void> {
    const signal = this.stop.signal;
    await this.ensureNamespace();
    await this.join(signal);
    if (this.revoked || signal.aborted || !this.cred) return;
    this.registered = true;
    const tenant = this.cred.tenant ?? '';
    this.syncer = new Syncer(this.o.kube, tenant, this.o.namespace, this.reporter, this.o.metrics, this.o.log);
    this.drift = new DriftWatch(this.o.kube, tenant, {
      desired: (id) => this.syncer?.desiredObject(id),
      observed: (live) => this.reporter.updateResource(refOf(live), healthOf(live)),
      drifted: (id, why) => {
        this.pendingDrift.set(id, why);
        this.kick();
      },
    }, this.o.log);
    this.watch = new RevisionWatch(this.cp, () => this.cred?.credential, {
      known: () => this.appliedRevision ?? 0,
      onRevision: (rev) => this.announce(rev),
      onUnauthorized: () => this.markRevoked(),
    }, this.o.log);
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
        if (Date.now() - this.factsAt > 60_000) {
          this.facts = await this.readFacts().catch(() => this.facts);
          this.factsAt = Date.now();
        }
        this.lastHeartbeatAt = Date.now();
        const a = await this.cp.heartbeat({
          ...this.facts, ...(this.appliedRevision !== undefined ? { appliedRevision: this.appliedRevision } : {}), conditions: this.conditions.list(),
        });
        failures = 0;
        this.heartbeatSeconds = a.heartbeatIntervalSeconds || this.heartbeatSeconds;
        if (a.credential && this.cred) {
          this.cred = { ...this.cred, credential: a.credential, expiresAt: a.expiresAt };
          await this.saveCredential().catch((e) => this.o.log('warn', 'could not store the fresh credential', { error: (e as Error).message }));
        }
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
    this.reporter.sendSoon();
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
    this.reporter.stop();
    this.cp.close();
  }
}
