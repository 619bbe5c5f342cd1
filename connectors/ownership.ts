import type { KubeObject } from './kube/types.js';
import type { OwnerKind } from './desired.js';
import { ANNOTATION_DELETION_POLICY, LABEL_APP, LABEL_NAMESPACE, LABEL_TENANT } from './labels.js';

export interface OwnerId {
  tenant: string;
  kind: OwnerKind;
  name: string;
}

export const NOT_OWNED = 'exists and is not owned by Fleetplane';

/** Whether the live object carries this owner's labels. */
export function ownedBy(live: KubeObject, o: OwnerId): boolean {
  const l = live.metadata.labels ?? {};
  if (l[LABEL_TENANT] !== o.tenant) return false;
  return o.kind === 'App' ? l[LABEL_APP] === o.name && !l[LABEL_NAMESPACE] : l[LABEL_NAMESPACE] === o.name && !l[LABEL_APP];
}

/**
 * May the connector apply this desired object over what is live? An object that
 * does not exist, or that carries this owner's labels, or that this owner's
 * inventory lists (labels removed by hand are put back), yes; anything else is
 * somebody else's — never overwritten, reported as Degraded (like Argo CD's
 * shared-resource warning).
 */
export function applyDecision(live: KubeObject | undefined, o: OwnerId, inInventory: boolean): { apply: true } | { apply: false; message: string } {
  if (!live || inInventory || ownedBy(live, o)) return { apply: true };
  const l = live.metadata.labels ?? {};
  if (l[LABEL_TENANT] === o.tenant && (l[LABEL_APP] || l[LABEL_NAMESPACE])) {
    const other = l[LABEL_APP] ? `app ${l[LABEL_APP]}` : `namespace ${l[LABEL_NAMESPACE]}`;
    return { apply: false, message: `exists and is owned by ${other}` };
  }
  return { apply: false, message: NOT_OWNED };
}

export type PruneAction = 'delete' | 'orphan' | 'gone' | 'not-owned';

/**
 * What a prune does with one stale inventory entry, judged on the live object:
 * gone or already being deleted → nothing; without this owner's labels (taken
 * over, or relabelled by hand) → left alone; annotated
 * `fleetplane.io/deletion-policy: Orphan` as applied (or the owner's recorded
 * policy is Orphan) → left in place; otherwise deleted. Pure.
 */
export function pruneDecision(live: KubeObject | undefined, o: OwnerId, ownerPolicy: 'Delete' | 'Orphan' = 'Delete'): PruneAction {
  if (!live || live.metadata.deletionTimestamp) return 'gone';
  if (!ownedBy(live, o)) return 'not-owned';
  if (live.metadata.annotations?.[ANNOTATION_DELETION_POLICY] === 'Orphan' || ownerPolicy === 'Orphan') return 'orphan';
  return 'delete';
}
