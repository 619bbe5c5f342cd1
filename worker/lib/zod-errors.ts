import type { ZodError } from 'zod';
import type { FieldError } from './problem.js';

const escape = (seg: PropertyKey) => String(seg).replaceAll('~', '~0').replaceAll('/', '~1');
const pointerOf = (path: readonly PropertyKey[]) => path.map((p) => `/${escape(p)}`).join('');

/** Every issue zod found, as problem+json field errors (one per unknown key too). */
export function fieldErrors(error: ZodError, where: FieldError['in']): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ pointer: pointerOf([...issue.path, key]), in: where, message: 'unknown field' });
      }
    } else {
      out.push({ pointer: pointerOf(issue.path), in: where, message: issue.message });
    }
  }
  return out;
}
