import { isPlainObject, setKey } from './plain-object.js';

function mergeInto(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) setKey(out, k, v);
  for (const [k, v] of Object.entries(top)) {
    if (v === undefined) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const below = Object.hasOwn(out, k) ? out[k] : undefined;
    if (isPlainObject(v)) setKey(out, k, mergeInto(isPlainObject(below) ? below : {}, v));
    else setKey(out, k, Array.isArray(v) ? structuredClone(v) : v);
  }
  return out;
}

/**
 * Merges layers of values, later layers winning: objects merge key by key,
 * arrays and scalars replace whatever was below. As in Helm, `null` removes
 * the key, so an override can take away a value the app or the template's
 * defaults set (there is no other way to remove a key by merging). A result
 * therefore never holds `null` as an object member; nulls inside arrays stay.
 * Inputs are never modified and the result shares no objects with them.
 * Merging is a left fold and not associative (a scalar over an object hides
 * it, and an object over that scalar starts afresh), so callers must always
 * merge the layers in the one documented order.
 */
export function deepMerge(...layers: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const layer of layers) if (layer) out = mergeInto(out, layer);
  return out;
}
