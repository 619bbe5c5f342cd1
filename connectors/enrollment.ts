import { retryDelay, sleep } from './backoff.js';
import { ControlPlaneError, type ClusterFacts, type ControlPlane } from './control-plane.js';
import { tokenHash, type CredentialStore, type StoredCredential } from './credential-store.js';
import type { KubeClient } from './kube/client.js';
import { KubeError } from './kube/http.js';
import type { Log } from './log.js';

export const CONNECTOR_VERSION = '0.1.0';

export interface EnrollmentOptions {
  joinToken: string | undefined;
  namespace: string;
  kube: KubeClient;
  store: CredentialStore;
  log: Log;
}

/**
 * How join() ends: the credential to use (with the heartbeat interval when a
 * registration was made), or the join token refused. Undefined: stopped first.
 */
export type Joined = { cred: StoredCredential; heartbeatSeconds?: number } | 'refused' | undefined;

/**
 * The connector's identity at the control plane: the credential (found in the
 * Secret or swapped for the join token once, stored, renewed) and the facts
 * about the cluster it reports.
 */
export class Enrollment {
  /** the credential in use, read at each control plane call */
  cred: StoredCredential | undefined;
  /** registrations made by this process (a restart with a stored credential makes none) */
  joins = 0;
  private lastFacts: ClusterFacts = { kubernetesVersion: 'unknown', nodeCount: 0 };
  private lastFactsAt = 0;

  constructor(
    private readonly o: EnrollmentOptions,
    private readonly cp: ControlPlane,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * A stored credential is used as it is, unless the environment brings a join
   * token other than the one it came from (the install manifest applied again,
   * after a revoke): that token is swapped, and if the control plane refuses it
   * the stored credential stays in use.
   */
  async join(): Promise<Joined> {
    await this.ensureNamespace();
    let stored: StoredCredential | undefined;
    for (let attempt = 0; !this.signal.aborted; attempt++) {
      try {
        stored ??= await this.o.store.load();
        const fresh = this.o.joinToken && stored?.joinTokenSha256 !== tokenHash(this.o.joinToken);
        if (stored && !fresh) return { cred: (this.cred = stored) };
        if (!this.o.joinToken) throw new Error('no stored credential and FLEETPLANE_JOIN_TOKEN is unset');
        this.lastFacts = await this.readFacts();
        const r = await this.cp.register(this.o.joinToken, { ...this.lastFacts, connectorVersion: CONNECTOR_VERSION });
        this.joins++;
        const cred = (this.cred = {
          credential: r.credential, expiresAt: r.expiresAt, clusterUid: r.cluster.uid, tenant: r.cluster.tenant, cluster: r.cluster.name,
          joinTokenSha256: tokenHash(this.o.joinToken),
        });
        await this.save();
        this.o.log('info', 'registered', { tenant: r.cluster.tenant, cluster: r.cluster.name });
        return { cred, heartbeatSeconds: r.heartbeatIntervalSeconds };
      } catch (e) {
        if (e instanceof ControlPlaneError && (e.status === 401 || e.status === 400) && stored) {
          this.o.log('warn', 'a new join token was refused: keeping the stored credential', { error: (e as Error).message });
          const cred = (this.cred = { ...stored, joinTokenSha256: tokenHash(this.o.joinToken!) });
          await this.save().catch(() => undefined);
          return { cred };
        }
        if (e instanceof ControlPlaneError && (e.status === 401 || e.status === 400)) {
          this.o.log('error', 'the join token was refused (used, expired or unknown): create a new one and apply the install manifest again', { error: (e as Error).message });
          return 'refused';
        }
        const wait = retryDelay(attempt, e instanceof ControlPlaneError ? e.retryAfterMs : undefined);
        this.o.log('warn', 'could not register', { error: (e as Error).message, retryInMs: wait });
        await sleep(wait, this.signal);
      }
    }
    return undefined;
  }

  /** A fresh credential from a heartbeat answer: used at once, kept in the store as soon as it takes it. */
  async renew(credential: string, expiresAt: string | undefined) {
    if (!this.cred) return;
    this.cred = { ...this.cred, credential, expiresAt };
    await this.save().catch((e) => this.o.log('warn', 'could not store the fresh credential', { error: (e as Error).message }));
  }

  /** For heartbeats: read at most once a minute; a failed read keeps the last facts. */
  async facts(): Promise<ClusterFacts> {
    if (Date.now() - this.lastFactsAt > 60_000) {
      this.lastFacts = await this.readFacts().catch(() => this.lastFacts);
      this.lastFactsAt = Date.now();
    }
    return this.lastFacts;
  }

  private async save() {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.store.save(this.cred!);
      } catch (e) {
        if (attempt >= 5) throw e;
        await sleep(retryDelay(attempt, undefined, { baseMs: 500, capMs: 5000 }), this.signal);
      }
    }
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

  /** Its own namespace (the install manifest makes it; a connector run by hand may not have one). */
  private async ensureNamespace() {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: this.o.namespace };
    try {
      if (!(await this.o.kube.get(ref))) await this.o.kube.create({ ...ref, metadata: { name: this.o.namespace } });
    } catch (e) {
      this.o.log('warn', 'could not check the connector namespace', { namespace: this.o.namespace, error: (e as Error).message });
    }
  }
}
