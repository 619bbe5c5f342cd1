import { Validator } from '@cfworker/json-schema';
import { schemaErrors } from './schema-errors.js';
import type { FieldError } from './types.js';

/**
 * Every way `values` break `schema`, each pointing below `pointerPrefix`
 * (e.g. /spec/values). A schema that cannot be evaluated (an unresolvable
 * $ref, a bad regular expression) is reported at the prefix instead of thrown.
 */
export function validateValues(schema: Record<string, unknown>, values: unknown, pointerPrefix: string): FieldError[] {
  try {
    // the validator annotates the schema objects it is given; keep the caller's untouched
    const result = new Validator(structuredClone(schema), '2020-12', false).validate(values);
    return result.valid ? [] : schemaErrors(result.errors, pointerPrefix);
  } catch (e) {
    return [{ pointer: pointerPrefix, message: `the parameter schema cannot be evaluated: ${(e as Error).message.split('\n')[0]}` }];
  }
}
