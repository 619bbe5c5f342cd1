import { FIELD_MANAGER, type KubeClient } from './kube/client.js';
import { groupOf, refId, type KubeObject, type ObjectRef } from './kube/types.js';
import type { OwnerKind } from './desired.js';
import { LABEL_INVENTORY } from './labels.js';

/**
 * What the connector applied for one owner, kept in the cluster (a ConfigMap in
 * the connector's namespace, one per app or federated namespace) so a restart,
 * or a control plane that forgot an app, still knows what to prune. Entries
 * follow Flux's inventory: `id` = `<namespace>_<name>_<group>_<kind>`, `v` = version.
 */
export interface InventoryEntry {
  id: string;
  v: string;
}

export interface Inventory {
  owner: { kind: OwnerKind; name: string };
  revision: number;
  deletionPolicy: 'Delete' | 'Orphan';
  entries: InventoryEntry[];
}

export const entryOf = (r: ObjectRef): InventoryEntry => ({
  id: refId(r), v: r.apiVersion.includes('/') ? r.apiVersion.split('/')[1]! : r.apiVersion,
});

/** An entry back to a reference (names and namespaces cannot hold `_`, so the split is exact). */
export function refOfEntry(e: InventoryEntry): ObjectRef {
  const [namespace, name, group, kind] = e.id.split('_') as [string, string, string, string];
  return { apiVersion: group ? `${group}/${e.v}` : e.v, kind, name, ...(namespace ? { namespace } : {}) };
}

export const inventoryName = (kind: OwnerKind, name: string) => `fleetplane-inventory-${kind === 'App' ? 'app' : 'ns'}-${name}`;

export function toConfigMap(inv: Inventory, namespace: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name: inventoryName(inv.owner.kind, inv.owner.name), namespace,
      labels: { [LABEL_INVENTORY]: 'true', 'app.kubernetes.io/managed-by': FIELD_MANAGER },
    },
    data: {
      ownerKind: inv.owner.kind, ownerName: inv.owner.name, revision: String(inv.revision), deletionPolicy: inv.deletionPolicy,
      entries: JSON.stringify([...inv.entries].sort((a, b) => a.id.localeCompare(b.id))),
    },
  };
}

export function fromConfigMap(cm: KubeObject): Inventory | undefined {
  const d = (cm.data ?? {}) as Record<string, string>;
  if ((d.ownerKind !== 'App' && d.ownerKind !== 'Namespace') || !d.ownerName) return undefined;
  let entries: InventoryEntry[] = [];
  try {
    entries = (JSON.parse(d.entries ?? '[]') as InventoryEntry[]).filter((e) => typeof e?.id === 'string' && typeof e?.v === 'string');
  } catch {
    return undefined;
  }
  return {
    owner: { kind: d.ownerKind, name: d.ownerName }, revision: Number(d.revision ?? 0),
    deletionPolicy: d.deletionPolicy === 'Orphan' ? 'Orphan' : 'Delete', entries,
  };
}

/** Entries of `old` that no desired object (of any owner) names any more: candidates for pruning. Pure. */
export function staleEntries(old: InventoryEntry[], desiredIds: ReadonlySet<string>): InventoryEntry[] {
  return old.filter((e) => !desiredIds.has(e.id));
}

const keyOf = (owner: { kind: OwnerKind; name: string }) => `${owner.kind}/${owner.name}`;

/**
 * Inventories in the cluster, by owner key. The connector is their only
 * writer, so what it read and wrote since is held and a change does not list
 * them again; a full sync (`fresh`) or a failed write reads the cluster again.
 */
export class InventoryStore {
  private held: Map<string, Inventory> | undefined;

  constructor(private readonly kube: KubeClient, private readonly namespace: string) {}

  async load(fresh = false): Promise<Map<string, Inventory>> {
    if (this.held && !fresh) return new Map(this.held);
    const list = await this.kube.list('v1', 'ConfigMap', { namespace: this.namespace, labelSelector: `${LABEL_INVENTORY}=true` });
    const out = new Map<string, Inventory>();
    for (const cm of list.items) {
      const inv = fromConfigMap(cm);
      if (inv) out.set(keyOf(inv.owner), inv);
    }
    this.held = out;
    return new Map(out);
  }

  async save(inv: Inventory) {
    await this.write(() => this.kube.apply(toConfigMap(inv, this.namespace), true));
    this.held?.set(keyOf(inv.owner), inv);
  }

  async remove(owner: { kind: OwnerKind; name: string }) {
    await this.write(() => this.kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace, name: inventoryName(owner.kind, owner.name) }));
    this.held?.delete(keyOf(owner));
  }

  private async write(op: () => Promise<unknown>) {
    try {
      await op();
    } catch (e) {
      this.held = undefined;
      throw e;
    }
  }
}

export { groupOf };
