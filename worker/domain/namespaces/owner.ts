import type { FederatedNamespaceRow } from '../../../db/schema/index.js';
import { renderNamespace } from '../../render/index.js';
import type { Owner } from '../placement/owner.js';
import type { PlacementSpec } from '../placement/select.js';

export interface NamespaceSpec {
  placement: PlacementSpec;
  quota?: { cpu?: string | undefined; memory?: string | undefined; pods?: number | undefined } | undefined;
  labels?: Record<string, string> | undefined;
}

/**
 * A federated namespace as an owner of placements: the same objects on every
 * cluster, so one render serves them all. Its generation is its revision.
 */
export function namespaceOwner(row: FederatedNamespaceRow, tenantName: string): Owner {
  const spec = row.spec as unknown as NamespaceSpec;
  const objects = renderNamespace({ tenant: tenantName, name: row.name, spec });
  return {
    kind: 'Namespace',
    uid: row.uid,
    name: row.name,
    tenantId: row.tenantId,
    revision: row.generation,
    deletionPolicy: 'Delete',
    progressive: false,
    placement: spec.placement,
    renderKey: () => '',
    render: async (cs) => cs.map(() => ({ ok: true as const, objects })),
  };
}
