import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { PushTarget } from '../../push/push.js';
import { bumpDesiredRevision } from '../clusters/desired-revision.js';
import type { Owner } from './owner.js';
import { collectContents } from './collect.js';
import { withinDesiredSize } from './desired-size.js';
import { refreshPlacementStatistics } from './statistics.js';
import type { ClusterRender } from './render-targets.js';
import { arrayParam } from '../../../db/array-param.js';

export type Pushes = { target: PushTarget; revision: number }[];

export interface Existing {
  cluster_uid: string;
  content_hash: string | null;
  pending_hash: string | null;
  error: string | null;
}

export interface Upsert {
  cluster_uid: string;
  content_hash: string | null;
  pending_hash: string | null;
  error: string | null;
}

/**
 * What a good render means for a placement. Most owners serve it at once; a
 * progressive rollout keeps what the cluster holds and parks the render as
 * pending until the cluster's wave comes (worker/domain/rollout).
 */
function placeRender(owner: Owner, clusterUid: string, before: Existing | undefined, hash: string): Upsert | undefined {
  if (!owner.progressive) {
    if (before?.content_hash === hash && before.error === null && before.pending_hash === null) return undefined;
    return { cluster_uid: clusterUid, content_hash: hash, pending_hash: null, error: null };
  }
  const pending = before?.content_hash === hash ? null : hash;
  if (before && before.pending_hash === pending && before.error === null) return undefined;
  return { cluster_uid: clusterUid, content_hash: before?.content_hash ?? null, pending_hash: pending, error: null };
}

/** What one owner's renders change in its placements: rows to write, clusters to leave, contents that may go. */
export interface OwnerPlan {
  upserts: Upsert[];
  /** clusters whose content changes (a new desired revision for each) */
  moved: string[];
  /** clusters of the scope the owner no longer selects: their placements go */
  removed: string[];
  /** contents these placements stop naming: collected if nothing else names them */
  replaced: (string | null)[];
  /** placements that are new */
  added: number;
}

/**
 * The placements `existing` (the owner's, on the clusters in scope) brought in
 * line with `renders`. A failed render keeps the last good content and records
 * the error; a placement with no render is removed.
 */
export function planOwner(owner: Owner, existing: ReadonlyMap<string, Existing>, renders: ClusterRender[]): OwnerPlan {
  const left = new Map(existing);
  const plan: OwnerPlan = { upserts: [], moved: [], removed: [], replaced: [], added: 0 };
  for (const r of renders) {
    const before = left.get(r.cluster.uid);
    left.delete(r.cluster.uid);
    let next: Upsert | undefined;
    if (r.ok) next = placeRender(owner, r.cluster.uid, before, r.hash);
    else {
      const error = r.errors.map((e) => `${e.pointer}: ${e.message}`).join('; ');
      if (before?.error !== error) {
        next = { cluster_uid: r.cluster.uid, content_hash: before?.content_hash ?? null, pending_hash: before?.pending_hash ?? null, error };
      }
    }
    if (!next) continue;
    plan.upserts.push(next);
    if (!before) plan.added++;
    if ((before?.content_hash ?? null) !== next.content_hash) plan.moved.push(r.cluster.uid);
    if (before && before.content_hash !== next.content_hash) plan.replaced.push(before.content_hash);
    if (before && before.pending_hash !== next.pending_hash) plan.replaced.push(before.pending_hash);
  }
  plan.removed = [...left.keys()];
  plan.replaced.push(...[...left.values()].flatMap((e) => [e.content_hash, e.pending_hash]));
  return plan;
}

/** Stores each distinct content once; a content already stored keeps its row. */
export async function storeContents(tx: Db, renders: ClusterRender[]) {
  const distinct = new Map<string, { objects: unknown; size: number }>();
  for (const r of renders) if (r.ok) distinct.set(r.hash, { objects: r.objects, size: r.size });
  if (distinct.size === 0) return;
  const rows = [...distinct].map(([hash, c]) => ({ hash, ...c }));
  await tx.execute(sql`
    insert into rendered_contents (hash, objects, size)
    select x.hash, x.objects, x.size from json_to_recordset(${JSON.stringify(rows)}::json) as x(hash text, objects json, size integer)
    on conflict (hash) do update set hash = excluded.hash`); // a no-op that locks the row: no collection can take it now
}

/** The columns a placement write gives, in the order of the `select` that feeds them. */
export const PLACEMENT_COLUMNS = sql.raw(
  '(cluster_uid, owner_uid, tenant_id, owner_kind, owner_name, content_hash, pending_hash, pending_revision, revision, deletion_policy, error)');

/** A placement written again keeps its revision unless its content changes. */
export const PLACEMENT_CONFLICT = sql.raw(`on conflict (cluster_uid, owner_uid) do update set
        content_hash = excluded.content_hash, error = excluded.error, deletion_policy = excluded.deletion_policy,
        pending_hash = excluded.pending_hash, pending_revision = excluded.pending_revision,
        revision = case when placements.content_hash is distinct from excluded.content_hash
          then excluded.revision else placements.revision end`);

/**
 * Brings one owner's placements in line with its renders for the clusters it
 * targets now. `renders` covers exactly the clusters in `scope` that the owner
 * selects; placements on other clusters of the scope are removed (all clusters
 * when `scope` is undefined). Returns the clusters whose content changed or that
 * lost the owner: only those need a new desired revision.
 */
export async function syncOwner(tx: Db, owner: Owner, rendered: ClusterRender[], scope?: string[]): Promise<string[]> {
  const existing = new Map(
    rowsOf<Existing>(await tx.execute(sql`
      select cluster_uid, content_hash, pending_hash, error from placements
      where owner_uid = ${owner.uid} ${scope ? sql`and cluster_uid = any(${arrayParam(scope, 'uuid')})` : sql``}`))
      .map((r) => [r.cluster_uid, r]),
  );
  const renders = await withinDesiredSize(tx, owner, rendered, (r) => r.ok && existing.get(r.cluster.uid)?.content_hash !== r.hash);
  const plan = planOwner(owner, existing, renders);
  await storeContents(tx, renders);
  if (plan.upserts.length > 0) {
    await tx.execute(sql`
      insert into placements ${PLACEMENT_COLUMNS}
      select x.cluster_uid, ${owner.uid}, ${owner.tenantId}, ${owner.kind}, ${owner.name}, x.content_hash, x.pending_hash,
        case when x.pending_hash is null then null else ${owner.revision}::int end, ${owner.revision}, ${owner.deletionPolicy}, x.error
      from json_to_recordset(${JSON.stringify(plan.upserts)}::json) as x(cluster_uid uuid, content_hash text, pending_hash text, error text)
      ${PLACEMENT_CONFLICT}`);
  }
  await refreshPlacementStatistics(tx, plan.added);
  if (plan.removed.length > 0) {
    await tx.execute(sql`delete from placements where owner_uid = ${owner.uid} and cluster_uid = any(${arrayParam(plan.removed, 'uuid')})`);
  }
  await collectContents(tx, plan.replaced);
  return [...plan.moved, ...plan.removed];
}

/** `syncOwner` over every cluster, then one new desired revision for each cluster that changed. */
export async function placeOwner(tx: Db, owner: Owner, renders: ClusterRender[]): Promise<Pushes> {
  return bumpDesiredRevision(tx, await syncOwner(tx, owner, renders));
}
