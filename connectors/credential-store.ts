import { createHash } from 'node:crypto';
import type { KubeClient } from './kube/client.js';

export interface StoredCredential {
  credential: string;
  expiresAt?: string | undefined;
  clusterUid?: string | undefined;
  tenant?: string | undefined;
  cluster?: string | undefined;
  /** sha256 of the join token that was swapped for this credential: that token is never used again */
  joinTokenSha256?: string | undefined;
}

export interface CredentialStore {
  load(): Promise<StoredCredential | undefined>;
  save(c: StoredCredential): Promise<void>;
}

export const tokenHash = (t: string) => createHash('sha256').update(t).digest('hex');

const KEYS = { credential: 'credential', expiresAt: 'credentialExpiresAt', clusterUid: 'clusterUid', tenant: 'tenant', cluster: 'cluster', joinTokenSha256: 'joinTokenSha256' } as const;

/**
 * The credential in a Secret of the connector's namespace (the one the install
 * manifest created, holding the join token too): a restarted connector finds it
 * and never joins again. Written with server-side apply under the connector's
 * field manager, so `kubectl apply` of the manifest later keeps these keys.
 */
export class SecretCredentialStore implements CredentialStore {
  constructor(private readonly kube: KubeClient, private readonly namespace: string, private readonly name: string) {}

  async load(): Promise<StoredCredential | undefined> {
    const s = await this.kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: this.namespace, name: this.name });
    const data = (s?.data ?? {}) as Record<string, string>;
    const read = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
    const credential = read(KEYS.credential);
    if (!credential) return undefined;
    return {
      credential, expiresAt: read(KEYS.expiresAt), clusterUid: read(KEYS.clusterUid), tenant: read(KEYS.tenant),
      cluster: read(KEYS.cluster), joinTokenSha256: read(KEYS.joinTokenSha256),
    };
  }

  async save(c: StoredCredential): Promise<void> {
    const data: Record<string, string> = {};
    for (const [field, key] of Object.entries(KEYS)) {
      const v = c[field as keyof StoredCredential];
      if (v !== undefined) data[key] = Buffer.from(v).toString('base64');
    }
    await this.kube.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: this.name, namespace: this.namespace }, data }, true);
  }
}

/** For simulations and tests: kept in memory only. */
export class MemoryCredentialStore implements CredentialStore {
  value: StoredCredential | undefined;
  async load() {
    return this.value;
  }
  async save(c: StoredCredential) {
    this.value = { ...c };
  }
}
