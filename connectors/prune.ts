import type { KubeClient } from './kube/client.js';
import { describe } from './kube/types.js';
import { refOfEntry, type InventoryEntry } from './inventory.js';
import type { Log } from './log.js';
import type { Metrics } from './metrics.js';
import { pruneDecision, type OwnerId } from './ownership.js';

/**
 * Deletes the stale entries of one owner's inventory, each judged on its live
 * object (pruneDecision). Returns the entries that must stay in the inventory:
 * those whose fate is not settled (an error) — so they are tried again.
 */
export async function prune(
  kube: KubeClient, metrics: Metrics, log: Log, owner: OwnerId, policy: 'Delete' | 'Orphan', stale: InventoryEntry[],
): Promise<InventoryEntry[]> {
  const keep: InventoryEntry[] = [];
  for (const e of stale) {
    const ref = refOfEntry(e);
    try {
      const action = pruneDecision(await kube.get(ref), owner, policy);
      if (action === 'delete') {
        await kube.delete(ref);
        metrics.prunes.inc();
        log('info', 'pruned', { object: describe(ref), owner: `${owner.kind}/${owner.name}` });
      } else if (action === 'orphan') {
        metrics.orphaned.inc();
        log('info', 'orphaned (deletion policy Orphan)', { object: describe(ref), owner: `${owner.kind}/${owner.name}` });
      } else if (action === 'not-owned') {
        log('warn', 'not pruned: no longer carries its owner labels', { object: describe(ref), owner: `${owner.kind}/${owner.name}` });
      }
    } catch (err) {
      keep.push(e);
      log('warn', 'prune failed', { object: describe(ref), error: (err as Error).message });
    }
  }
  return keep;
}
