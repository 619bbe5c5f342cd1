import type { LabelSelector } from '../../render/index.js';
import { matchesSelector } from '../../render/index.js';

/** Where an app or a federated namespace goes: clusters named, or clusters whose labels match. */
export interface PlacementSpec {
  clusters?: string[] | undefined;
  selector?: LabelSelector | undefined;
}

export interface ClusterRef {
  uid: string;
  name: string;
  labels: Record<string, string>;
}

/**
 * A cluster is placed when it is named or when the selector matches it (either
 * is enough, like Fleet's targets). An empty selector `{}` selects every
 * cluster, as in Kubernetes; no selector and no names select none.
 */
export function selects(p: PlacementSpec, c: ClusterRef): boolean {
  if (p.clusters?.includes(c.name)) return true;
  return p.selector !== undefined && matchesSelector(p.selector, c.labels);
}
