import type { FieldError, KubeObject } from '../../render/index.js';
import { contentHash, uniqueErrors } from '../../render/index.js';
import type { Owner } from './owner.js';
import type { ClusterRef } from './select.js';

export type ClusterRender =
  | { cluster: ClusterRef; ok: true; objects: KubeObject[]; hash: string }
  | { cluster: ClusterRef; ok: false; errors: FieldError[] };

/**
 * Renders an owner for each target cluster. Clusters that share a render key
 * (the same matching overrides and, when the template reads `cluster`, the
 * same name and labels) share one render and one hash: a fan-out to 10,000
 * alike clusters renders once.
 */
export async function renderTargets(owner: Owner, targets: ClusterRef[]): Promise<ClusterRender[]> {
  const byKey = new Map<string, Promise<{ ok: true; objects: KubeObject[]; hash: string } | { ok: false; errors: FieldError[] }>>();
  const results = targets.map((cluster) => {
    const key = owner.renderKey(cluster);
    let r = byKey.get(key);
    if (!r) {
      const rendered = owner.render(cluster);
      r = rendered.ok
        ? contentHash(rendered.objects).then((hash) => ({ ok: true as const, objects: rendered.objects, hash }))
        : Promise.resolve(rendered);
      byKey.set(key, r);
    }
    return r.then((x): ClusterRender => ({ cluster, ...x }));
  });
  return Promise.all(results);
}

/** Every render error, once each (alike clusters fail alike). */
export function renderErrors(renders: ClusterRender[]): FieldError[] {
  return uniqueErrors(renders.flatMap((r) => (r.ok ? [] : r.errors)));
}
