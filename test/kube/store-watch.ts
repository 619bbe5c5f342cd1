import { badRequest } from './errors.js';
import { apiVersionOf, type KindInfo } from './kinds.js';
import type { Selectors, StoreCore } from './store-core.js';
import type { Change } from './watch-hub.js';

/**
 * Starts a watch: the changes after `resourceVersion` (410 if they are no
 * longer kept) or, without one (or with "0"), a synthetic ADDED per current
 * object; then live changes. Changes are reshaped for the selector: an object
 * that starts matching arrives as ADDED, one that stops matching as DELETED.
 */
export function startWatch(
  store: StoreCore, info: KindInfo, namespace: string | undefined,
  opts: Selectors & { resourceVersion?: string | null }, listener: (c: Change) => void,
): { initial: Change[]; stop: () => void } {
  const match = store.matcher(info, namespace, opts);
  const shape = (c: Change): Change | undefined => {
    if (c.object.kind !== info.kind || c.object.apiVersion !== apiVersionOf(info)) return undefined;
    const now = match(c.object);
    const before = c.previous !== undefined && c.type !== 'DELETED' ? match(c.previous) : now;
    if (c.type === 'MODIFIED' && now !== before) return { ...c, type: now ? 'ADDED' : 'DELETED' };
    return now ? c : undefined;
  };
  const rv = opts.resourceVersion;
  if (rv && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  const current = Number(store.resourceVersion);
  const initial = !rv || rv === '0'
    ? store.listInfo(info, namespace, opts).map((object): Change => ({ type: 'ADDED', rv: current, object }))
    : store.hub.since(Number(rv), rv).map(shape).filter((c): c is Change => c !== undefined);
  const stop = store.hub.subscribe((c) => { const s = shape(c); if (s) listener(s); });
  return { initial, stop };
}
