import type { FieldError } from './types.js';

/** Each problem once (the same pointer and message), in the order first seen. */
export function uniqueErrors(errors: Iterable<FieldError>): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const e of errors) {
    const key = `${e.pointer}\u0000${e.message}`;
    if (!seen.has(key)) seen.set(key, e);
  }
  return [...seen.values()];
}
