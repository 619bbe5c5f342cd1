import type { FieldError, KubeObject } from '../../render/index.js';
import { canonicalJson, uniqueErrors } from '../../render/index.js';
import { sha256Hex } from '../../lib/crypto.js';
import type { Owner } from './owner.js';
import type { ClusterRef } from './select.js';

/** A render's content: its objects, the sha256 of their canonical JSON (its name) and that JSON's size in bytes. */
type Content = { ok: true; objects: KubeObject[]; hash: string; size: number };
type Result = Content | { ok: false; errors: FieldError[] };
export type ClusterRender = { cluster: ClusterRef } & Result;

const encoder = new TextEncoder();

/**
 * Renders an owner for each target cluster. Clusters that share a render key
 * (the same matching overrides and, when the template reads `cluster`, the
 * same name and labels) share one render and one hash: a fan-out to 10,000
 * alike clusters renders once. The distinct renders go to the renderer as one batch.
 */
export async function renderTargets(owner: Owner, targets: ClusterRef[]): Promise<ClusterRender[]> {
  const keyOf = targets.map((c) => owner.renderKey(c));
  const distinct = new Map<string, ClusterRef>();
  targets.forEach((c, k) => { if (!distinct.has(keyOf[k]!)) distinct.set(keyOf[k]!, c); });
  const rendered = distinct.size > 0 ? await owner.render([...distinct.values()]) : [];
  const byKey = new Map<string, Result>();
  const keys = [...distinct.keys()];
  await Promise.all(rendered.map(async (r, k) => {
    if (!r.ok) return void byKey.set(keys[k]!, r);
    const text = canonicalJson(r.objects);
    byKey.set(keys[k]!, { ok: true, objects: r.objects, hash: await sha256Hex(text), size: encoder.encode(text).length });
  }));
  return targets.map((cluster, k): ClusterRender => ({ cluster, ...byKey.get(keyOf[k]!)! }));
}

/** Every render error, once each (alike clusters fail alike). */
export function renderErrors(renders: ClusterRender[]): FieldError[] {
  return uniqueErrors(renders.flatMap((r) => (r.ok ? [] : r.errors)));
}
