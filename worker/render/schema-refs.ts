import type { FieldError } from './types.js';

const unescape = (token: string) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');

function resolvePointer(root: unknown, fragment: string): boolean {
  let node = root;
  for (const token of fragment.split('/').slice(1).map(unescape)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return false;
    node = (node as Record<string, unknown>)[token];
  }
  return true;
}

/** Keywords whose values are data, not schema: nothing inside them is a keyword. */
const VALUES = new Set(['const', 'default', 'enum', 'examples']);

/** Visits every object of a schema with its JSON pointer, not descending into data (`default`, `const`, …). */
export function walkSchema(node: unknown, at: string, visit: (node: Record<string, unknown>, at: string) => void) {
  if (node === null || typeof node !== 'object') return;
  if (!Array.isArray(node)) visit(node as Record<string, unknown>, at);
  for (const [k, v] of Object.entries(node)) {
    if (!Array.isArray(node) && VALUES.has(k)) continue;
    walkSchema(v, `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, visit);
  }
}

/**
 * The validator resolves `$ref` only when a value reaches it, so a reference
 * that leads nowhere would surface at some later render. Parameter schemas
 * are self-contained (nothing can be fetched while rendering): every `$ref`
 * must be a JSON pointer into the schema itself or name one of its `$anchor`s.
 */
export function unresolvedRefs(schema: Record<string, unknown>, pointerPrefix: string): FieldError[] {
  const anchors = new Set<string>();
  walkSchema(schema, '', (n) => {
    if (typeof n.$anchor === 'string') anchors.add(n.$anchor);
  });
  const errors: FieldError[] = [];
  walkSchema(schema, pointerPrefix, (n, at) => {
    const ref = n.$ref;
    if (typeof ref !== 'string') return;
    const ok = ref === '#' || (ref.startsWith('#/') ? resolvePointer(schema, ref.slice(1)) : ref.startsWith('#') && anchors.has(ref.slice(1)));
    if (!ok) errors.push({ pointer: `${at}/$ref`, message: `"${ref}" does not resolve to a part of this schema (only local references are supported)` });
  });
  return errors;
}
