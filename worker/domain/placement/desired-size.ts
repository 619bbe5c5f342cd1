import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { rowsOf } from '../../../db/rows.js';
import type { Owner } from './owner.js';
import type { ClusterRender } from './render-targets.js';

/** The most desired state one cluster may hold, every owner's content together (API.md, "Render budget"). */
export const MAX_DESIRED_BYTES = 8 * 1024 * 1024;

/**
 * Renders that would take their cluster's desired state past the limit become
 * failed renders naming it: the placement keeps the content it had (nothing,
 * on a first placement) and the owner's status says why, while its other
 * clusters go ahead. Only renders whose content changes are weighed; contents
 * stored before their size was kept are measured here.
 */
export async function withinDesiredSize(tx: Db, owner: Owner, renders: ClusterRender[], changed: (r: ClusterRender) => boolean) {
  const weighed = new Set(renders.filter((r) => r.ok && changed(r)));
  if (weighed.size === 0) return renders;
  const others = new Map(
    rowsOf<{ cluster_uid: string; bytes: string }>(await tx.execute(sql`
      select p.cluster_uid, sum(coalesce(c.size, octet_length(c.objects::text))) as bytes
      from placements p join rendered_contents c on c.hash = p.content_hash
      where p.cluster_uid = any(${arrayParam([...weighed].map((r) => r.cluster.uid), 'uuid')}) and p.owner_uid <> ${owner.uid}
      group by p.cluster_uid`)).map((r) => [r.cluster_uid, Number(r.bytes)]),
  );
  return renders.map((r) => (weighed.has(r) ? judged(owner, r, others.get(r.cluster.uid) ?? 0) : r));
}

/** `r` as it may go, with `others` bytes of other owners' contents on its cluster: itself, or a failed render naming the limit. */
export function judged(owner: Owner, r: ClusterRender, others: number): ClusterRender {
  if (!r.ok) return r;
  const total = others + r.size;
  if (total <= MAX_DESIRED_BYTES) return r;
  const message = `cluster "${r.cluster.name}": its desired state would be ${total} bytes with this ${owner.kind.toLowerCase()}, more than the ${MAX_DESIRED_BYTES} bytes (8 MiB) a cluster may hold; it keeps what it had`;
  return { cluster: r.cluster, ok: false, errors: [{ pointer: '/spec/placement', message }] };
}

/** The bytes of each owner's content on one cluster (pending contents are not there yet). */
export async function bytesByOwner(tx: Db, clusterUid: string): Promise<Map<string, number>> {
  return new Map(rowsOf<{ owner_uid: string; bytes: string }>(await tx.execute(sql`
    select p.owner_uid, coalesce(c.size, octet_length(c.objects::text)) as bytes
    from placements p join rendered_contents c on c.hash = p.content_hash
    where p.cluster_uid = ${clusterUid}`)).map((r) => [r.owner_uid, Number(r.bytes)]));
}
