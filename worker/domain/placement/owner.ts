import type { OwnerKind } from '../../../db/schema/index.js';
import type { FieldError, KubeObject } from '../../render/index.js';
import type { ClusterRef, PlacementSpec } from './select.js';

export type Rendered = { ok: true; objects: KubeObject[] } | { ok: false; errors: FieldError[] };

/**
 * What places objects on clusters: an app or a federated namespace. Placement
 * code works on this alone, so both kinds share one path from spec to desired state.
 */
export interface Owner {
  kind: OwnerKind;
  uid: string;
  name: string;
  tenantId: string;
  /** the owner's revision now: stamped on clusters whose content changes */
  revision: number;
  deletionPolicy: 'Delete' | 'Orphan';
  /** a progressive rollout releases new content wave by wave instead of at once */
  progressive: boolean;
  placement: PlacementSpec;
  /** clusters with equal keys render equal objects, so each key is rendered once */
  renderKey(c: ClusterRef): string;
  /** one result per cluster, in order; the clusters are rendered as one batch */
  render(cs: ClusterRef[]): Promise<Rendered[]>;
}
