/** The API's shapes, as far as the pages read them. */
export interface Meta {
  name: string;
  labels?: Record<string, string>;
  uid?: string;
  createdAt?: string;
  generation?: number;
}
export interface Listed<T> {
  items: T[];
  nextCursor: string | null;
}
export interface ClusterView {
  metadata: Meta;
  spec: { description?: string };
  status: {
    phase: string;
    conditions: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    lastHeartbeatAt: string | null;
    kubernetesVersion: string | null;
    nodeCount: number | null;
    connectorVersion: string | null;
    desiredRevision: number;
    appliedRevision: number | null;
  };
}

export const labelText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');

/** Query parameters for an API list call, from the page's own URL (only those named). */
export function listQuery(url: URL, names: string[], limit = 50): string {
  const q = new URLSearchParams({ limit: String(limit) });
  for (const n of [...names, 'cursor']) {
    const v = url.searchParams.get(n);
    if (v) q.set(n, v);
  }
  return q.toString();
}

export interface ResourceView {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  health: string;
  message?: string;
}
export interface AppClusterView {
  name: string;
  phase: string;
  revision: number | null;
  resources: ResourceView[];
  wave?: number;
}
export interface AppSpecView {
  template: { name: string; version: string; catalog?: boolean };
  namespace: string;
  values?: Record<string, unknown>;
  placement?: { clusters?: string[]; selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } };
  overrides?: { clusters?: string[]; selector?: unknown; values?: Record<string, unknown>; patches?: unknown[] }[];
  rollout?: { strategy: string; waves?: unknown[]; pauseOnFailure?: boolean };
  deletionPolicy?: string;
}
export interface AppView {
  metadata: Meta;
  spec: AppSpecView;
  status?: {
    phase: string;
    observedGeneration: number;
    summary: { clusters: number; ready: number; progressing: number; failed: number; unknown: number; suspended?: number };
    clusters: AppClusterView[];
    rollout?: { generation: number; wave: number; waves: number; state: string; message?: string } | null;
  };
}
