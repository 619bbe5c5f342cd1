import type { FieldError } from './problem.js';

/** Deepest nesting of arrays and objects a request body may have (API.md, Conventions → Limits). */
export const MAX_JSON_DEPTH = 64;

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Where a parsed JSON value first nests deeper than `max` arrays and objects,
 * as a field error, or undefined. Iterative: the walk itself must not overflow
 * the stack on the input it exists to refuse (JSON.stringify and every
 * recursive helper downstream would).
 */
export function jsonDepthProblem(value: unknown, max = MAX_JSON_DEPTH): FieldError | undefined {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) {
      return { pointer: path, in: 'body', message: `nested deeper than ${max} levels of arrays and objects (the limit is ${max})` };
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) if (x !== null && typeof x === 'object') stack.push({ v: x, depth: depth + 1, path: `${path}/${escape(k)}` });
  }
  return undefined;
}
