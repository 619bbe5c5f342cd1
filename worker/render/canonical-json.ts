import { sha256Hex } from '../lib/crypto.js';

/**
 * JSON with object keys sorted (UTF-16 code unit order) and no whitespace, so
 * equal content always gives equal text: JSON.stringify alone follows
 * insertion order, and objects put integer-like keys first whatever the order.
 * For JSON data this is the RFC 8785 (JCS) form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** sha256 (hex) of the canonical JSON: the name under which a render is stored once. */
export function contentHash(objects: unknown): Promise<string> {
  return sha256Hex(canonicalJson(objects));
}
