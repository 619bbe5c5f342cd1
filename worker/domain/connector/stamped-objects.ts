import { ANNOTATION_REVISION } from '../../fleet/labels.js';

/**
 * After a fan-out thousands of clusters ask for the same content at the same
 * revision. Parsing it, stamping each object and serializing it again per
 * request is the same work every time, so the serialized, stamped objects are
 * kept per (content hash, revision). Both are immutable for a given key: a
 * content is named by the sha256 of its canonical form. Bounded by size, as a
 * Workers isolate has little memory; the oldest entry goes first.
 */
const MAX_CHARS = 4_000_000;
const MAX_ENTRY_CHARS = MAX_CHARS / 8;

const cache = new Map<string, string>();
let cachedChars = 0;

/** The stamped objects of (hash, revision) if this process has them, so the content need not be read at all. */
export const cachedStampedObjects = (hash: string, revision: number): string | undefined => cache.get(`${revision}:${hash}`);

/** Stamps the owner's revision on an object, as the connector reports it back. */
function withRevision(o: Record<string, unknown>, revision: number) {
  const metadata = (o.metadata ?? {}) as { annotations?: Record<string, string> };
  return { ...o, metadata: { ...metadata, annotations: { ...metadata.annotations, [ANNOTATION_REVISION]: String(revision) } } };
}

/**
 * The objects of a stored content (its JSON text), each stamped with
 * `revision`, serialized without the enclosing brackets: '' for no objects.
 */
export function stampedObjects(hash: string, revision: number, objectsJson: string): string {
  const key = `${revision}:${hash}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const objects = JSON.parse(objectsJson) as Record<string, unknown>[];
  const text = objects.map((o) => JSON.stringify(withRevision(o, revision))).join(',');
  if (text.length <= MAX_ENTRY_CHARS) {
    cache.set(key, text);
    cachedChars += text.length;
    for (const [k, v] of cache) {
      if (cachedChars <= MAX_CHARS) break;
      cache.delete(k);
      cachedChars -= v.length;
    }
  }
  return text;
}
