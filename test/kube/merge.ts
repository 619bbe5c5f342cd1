import { isAssociative, itemKey, keyStep } from './field-paths.js';
import * as fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest } from './errors.js';

// CommonJS under Node's ESM loader (names only on the default export), ESM under bundlers.
const { applyPatch } = (fastJsonPatch as unknown as { default?: typeof fastJsonPatch }).default ?? fastJsonPatch;

/**
 * The three patch bodies a client can send, applied to a private copy of the
 * live object, plus the structural merge server-side apply uses.
 */
const isMap = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Server-side apply's merge: maps merge key by key, associative lists merge
 * item by item (new items appended in the order sent), everything else —
 * scalars and atomic lists — is replaced by the applied value.
 */
export function mergeApplied(live: unknown, applied: unknown, field = ''): unknown {
  if (isMap(live) && isMap(applied)) {
    const out: Record<string, any> = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v, k);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied) && isAssociative(field, applied) && isAssociative(field, live)) {
    const out = [...live];
    for (const item of applied) {
      const step = keyStep(itemKey(field, item)!);
      const at = out.findIndex((it) => keyStep(itemKey(field, it)!) === step);
      if (at >= 0) out[at] = mergeApplied(out[at], item);
      else out.push(item);
    }
    return out;
  }
  return structuredClone(applied);
}

/** RFC 7386: null deletes, maps merge, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Record<string, any> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Strategic merge patch, for the lists that have merge keys: items are merged
 * by key, `$patch: delete` on an item removes it, `$patch: replace` on a list
 * replaces it; `$retainKeys` and `$deleteFromPrimitiveList/` are honoured,
 * `$setElementOrder/` accepted without reordering. Other directives are
 * rejected (400), the way the apiserver rejects unknown ones.
 */
export function strategicMergePatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) {
    const directive = patch.find((p) => isMap(p) && p.$patch === 'replace');
    if (directive) return patch.filter((p) => p !== directive);
    if (!Array.isArray(target) || !isAssociative(field, patch.filter((p) => !(isMap(p) && p.$patch)).concat(target))) {
      return structuredClone(patch);
    }
    const out = [...target];
    for (const item of patch) {
      const step = keyStep(itemKey(field, item)!);
      const at = out.findIndex((it) => keyStep(itemKey(field, it)!) === step);
      if (isMap(item) && item.$patch === 'delete') { if (at >= 0) out.splice(at, 1); continue; }
      if (at >= 0) out[at] = strategicMergePatch(out[at], item);
      else out.push(item);
    }
    return out;
  }
  if (!isMap(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') { const { $patch: _, ...rest } = patch; return structuredClone(rest); }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, any> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else {
      const merged = strategicMergePatch(out[k], v, k);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  // The directives kubectl's client-side apply sends alongside the fields.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith('$')) continue;
    if (k === '$patch' && v === 'merge') continue;
    if (k === '$retainKeys' && Array.isArray(v)) {
      for (const key of Object.keys(out)) if (!v.includes(key)) delete out[key];
    } else if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v)) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: unknown) => !v.includes(x));
    } else if (!k.startsWith('$setElementOrder/')) {
      // Element order is not kept for merged lists here; any other directive is unknown, as to the apiserver.
      throw badRequest(`unknown patch directive ${k}`);
    }
  }
  return out;
}

/** RFC 6902 on a copy; a failed `test` or a bad path is the client's error. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch body must be an array of operations');
  try {
    return applyPatch(structuredClone(target), ops as Operation[], true, false).newDocument;
  } catch (e) {
    throw badRequest(`the server rejected our request due to an error in our request: ${(e as Error).message}`);
  }
}
