import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayLiteral, arrayParam } from '../../../db/array-param.js';
import { perDb, preparedPerDb } from '../../../db/prepared.js';
import { rowsOf } from '../../../db/rows.js';
import { BatchLoader } from '../../lib/batch-loader.js';
import { apps, federatedNamespaces, placements, type OwnerKind } from '../../../db/schema/index.js';
import { cachedStampedObjects, stampedObjects } from './stamped-objects.js';

export interface DesiredOwner {
  kind: OwnerKind;
  name: string;
  revision: number;
  generation: number;
  deletionPolicy: 'Delete' | 'Orphan';
}

/**
 * Every connector whose content changed asks for it at once after a fan-out,
 * so the statement is prepared (Postgres plans this join once per connection
 * instead of on every request: planning cost more than running it), and the
 * clusters asking together are read together (see BatchLoader). It names each
 * placement's content by hash only: after the first of thousands of clusters,
 * the stamped content is in memory, and reading it again (detoasting tens of
 * KiB and sending them) was most of Postgres's work per cluster.
 */
const byClusters = preparedPerDb((db) =>
  db
    .select({
      cluster: placements.clusterUid,
      kind: placements.ownerKind,
      name: placements.ownerName,
      revision: placements.revision,
      deletionPolicy: placements.deletionPolicy,
      hash: placements.contentHash,
      generation: sql<number | null>`coalesce(${apps.generation}, ${federatedNamespaces.generation})`,
    })
    .from(placements)
    .leftJoin(apps, eq(apps.uid, placements.ownerUid))
    .leftJoin(federatedNamespaces, eq(federatedNamespaces.uid, placements.ownerUid))
    .where(and(sql`${placements.clusterUid} = any(${sql.placeholder('clusters')}::uuid[])`, isNotNull(placements.contentHash)))
    .orderBy(desc(placements.ownerKind), placements.ownerName)
    .prepare('fp_desired_state_batch'),
);

type PlacementRow = Awaited<ReturnType<ReturnType<typeof byClusters>['execute']>>[number];

const loaderOf = perDb((db) => new BatchLoader<string, PlacementRow[]>(async (clusters) => {
  const out = new Map<string, PlacementRow[]>();
  for (const r of await byClusters(db).execute({ clusters: arrayLiteral(clusters) })) {
    const list = out.get(r.cluster);
    if (list) list.push(r);
    else out.set(r.cluster, [r]);
  }
  return out;
}));

/** The cluster's placements that have content, namespaces first, then apps, each by name. */
const placementsOf = (db: Db, clusterUid: string) => loaderOf(db).load(clusterUid).then((rows) => rows ?? []);

/** Contents as JSON text, not parsed by the driver: they are stamped and kept as text. */
async function contentsOf(db: Db, hashes: string[]): Promise<Map<string, string>> {
  if (hashes.length === 0) return new Map();
  const rows = rowsOf<{ hash: string; objects: string }>(await db.execute(
    sql`select hash, objects::text as objects from rendered_contents where hash = any(${arrayParam(hashes, 'text')})`,
  ));
  return new Map(rows.map((r) => [r.hash, r.objects]));
}

const utf8 = new TextEncoder();
const COMMA = utf8.encode(',');

/** The pieces one after the other in one array: the answer is written to the socket as it is. */
function joined(pieces: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * What a cluster should hold, as the UTF-8 JSON answer `{ revision, objects, apps }`:
 * the union of its placements' contents, each object stamped with the revision
 * of its app (or namespace) that produced it. Namespaces come first, then apps,
 * each by name, so the answer is stable. Built from bytes: thousands of
 * clusters share each content, and serializing or encoding it per request was
 * the main cost.
 */
export async function desiredStateBody(db: Db, clusterUid: string, revision: number, retried = false): Promise<Uint8Array<ArrayBuffer>> {
  const rows = await placementsOf(db, clusterUid);
  const missing = rows.filter((r) => cachedStampedObjects(r.hash!, Number(r.revision)) === undefined).map((r) => r.hash!);
  const contents = await contentsOf(db, [...new Set(missing)]);
  const owners: DesiredOwner[] = [];
  const pieces: Uint8Array[] = [utf8.encode(`{"revision":${revision},"objects":[`)];
  for (const r of rows) {
    const ownerRevision = Number(r.revision);
    owners.push({ kind: r.kind, name: r.name, revision: ownerRevision, generation: Number(r.generation ?? 0), deletionPolicy: r.deletionPolicy });
    let stamped = cachedStampedObjects(r.hash!, ownerRevision);
    if (stamped === undefined) {
      const text = contents.get(r.hash!);
      // the placement moved on and its old content was collected between the two reads: read both again
      if (text === undefined) {
        if (retried) throw new Error(`content ${r.hash} of cluster ${clusterUid} vanished twice while read`);
        return desiredStateBody(db, clusterUid, revision, true);
      }
      stamped = stampedObjects(r.hash!, ownerRevision, text);
    }
    if (stamped.byteLength === 0) continue;
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(stamped);
  }
  pieces.push(utf8.encode(`],"apps":${JSON.stringify(owners)}}`));
  return joined(pieces);
}
