import { LABEL_NAMESPACE, LABEL_TENANT } from '../fleet/labels.js';
import type { KubeObject } from './types.js';

export interface NamespaceInput {
  tenant: string;
  name: string;
  spec: { quota?: { cpu?: string; memory?: string; pods?: number }; labels?: Record<string, string> };
}

/**
 * Per-container defaults the LimitRange gives when a quota caps cpu or
 * memory: under such a quota the API server rejects pods whose containers
 * declare no requests or limits, so these let ordinary manifests schedule.
 * Small on purpose (a sidecar-sized container); they are not clamped to the
 * quota, so a quota below them admits no defaulted container.
 */
export const CONTAINER_DEFAULTS = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '512Mi' },
} as const;

export const QUOTA_NAME = 'fleetplane-quota';
export const LIMIT_RANGE_NAME = 'fleetplane-defaults';

/**
 * A federated namespace as objects: the Namespace with the user's labels, and
 * with a quota a ResourceQuota (the same cap on requests and limits) plus a
 * LimitRange. Ownership labels win over user labels of the same key.
 */
export function renderNamespace({ tenant, name, spec }: NamespaceInput): KubeObject[] {
  const owned = { [LABEL_TENANT]: tenant, [LABEL_NAMESPACE]: name };
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...spec.labels, ...owned } } },
  ];
  const quota = spec.quota;
  if (!quota) return objects;
  const hard: Record<string, string> = {};
  if (quota.cpu !== undefined) Object.assign(hard, { 'requests.cpu': quota.cpu, 'limits.cpu': quota.cpu });
  if (quota.memory !== undefined) Object.assign(hard, { 'requests.memory': quota.memory, 'limits.memory': quota.memory });
  // quantities are strings in the API; a number here would come back as a string and look like drift
  if (quota.pods !== undefined) hard.pods = String(quota.pods);
  objects.push({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: QUOTA_NAME, namespace: name, labels: { ...owned } }, spec: { hard } });

  const capped = (['cpu', 'memory'] as const).filter((r) => quota[r] !== undefined);
  if (capped.length > 0) {
    const pick = (which: 'request' | 'limit') => Object.fromEntries(capped.map((r) => [r, CONTAINER_DEFAULTS[r][which]]));
    objects.push({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: LIMIT_RANGE_NAME, namespace: name, labels: { ...owned } },
      spec: { limits: [{ type: 'Container', defaultRequest: pick('request'), default: pick('limit') }] },
    });
  }
  return objects;
}
