import { parseManifests, type ParsedManifests } from './parse-manifests.js';

/** Source characters kept parsed at most: a few full-size templates, so the cache stays small beside a Worker's memory. */
const MAX_CACHED_CHARS = 2_000_000;
const cache = new Map<string, unknown[]>();
let cachedChars = 0;

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/**
 * parseManifests for rendering: an app is rendered once per cluster from the
 * same YAML, and parsing it costs far more than rendering it, so parsed
 * documents are kept, least recently used out first. They are frozen because
 * every render shares them (json-e only reads its template).
 */
export function parseManifestsCached(m: string | unknown[]): ParsedManifests {
  if (typeof m !== 'string') return parseManifests(m);
  const hit = cache.get(m);
  if (hit) {
    cache.delete(m);
    cache.set(m, hit);
    return { ok: true, docs: hit };
  }
  const parsed = parseManifests(m);
  if (parsed.ok && m.length <= MAX_CACHED_CHARS) {
    deepFreeze(parsed.docs);
    cache.set(m, parsed.docs);
    cachedChars += m.length;
    for (const key of cache.keys()) {
      if (cachedChars <= MAX_CACHED_CHARS) break;
      cache.delete(key);
      cachedChars -= key.length;
    }
  }
  return parsed;
}
