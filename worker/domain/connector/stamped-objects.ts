import { ANNOTATION_REVISION } from '../../fleet/labels.js';

/**
 * After a fan-out thousands of clusters ask for the same content at the same
 * revision. Parsing it, stamping each object and serializing it again per
 * request is the same work every time, so the stamped objects are kept per
 * (content hash, revision), as the UTF-8 bytes the answer carries: kept as a
 * string, each answer flattened and encoded its tens of KiB again, which was
 * the heaviest single cost of serving a fan-out. Both are immutable for a
 * given key: a content is named by the sha256 of its canonical form. Bounded
 * by size, as a Workers isolate has little memory; the oldest entry goes first.
 */
const MAX_BYTES = 4_000_000;
const MAX_ENTRY_BYTES = MAX_BYTES / 8;

const cache = new Map<string, Uint8Array>();
let cachedBytes = 0;
const utf8 = new TextEncoder();

/** The stamped objects of (hash, revision) if this process has them, so the content need not be read at all. */
export const cachedStampedObjects = (hash: string, revision: number): Uint8Array | undefined => cache.get(`${revision}:${hash}`);

/** Stamps the owner's revision on an object, as the connector reports it back. */
function withRevision(o: Record<string, unknown>, revision: number) {
  const metadata = (o.metadata ?? {}) as { annotations?: Record<string, string> };
  return { ...o, metadata: { ...metadata, annotations: { ...metadata.annotations, [ANNOTATION_REVISION]: String(revision) } } };
}

/**
 * The objects of a stored content (its JSON text), each stamped with
 * `revision`, serialized without the enclosing brackets, as UTF-8: empty for
 * no objects. The bytes are shared: callers copy them, never write to them.
 */
export function stampedObjects(hash: string, revision: number, objectsJson: string): Uint8Array {
  const key = `${revision}:${hash}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const objects = JSON.parse(objectsJson) as Record<string, unknown>[];
  const bytes = utf8.encode(objects.map((o) => JSON.stringify(withRevision(o, revision))).join(','));
  if (bytes.byteLength <= MAX_ENTRY_BYTES) {
    cache.set(key, bytes);
    cachedBytes += bytes.byteLength;
    for (const [k, v] of cache) {
      if (cachedBytes <= MAX_BYTES) break;
      cache.delete(k);
      cachedBytes -= v.byteLength;
    }
  }
  return bytes;
}
