import { Validator } from '@cfworker/json-schema';
import { META_SCHEMA_2020_12 } from './meta-schema-2020-12.js';
import { schemaErrors } from './schema-errors.js';
import { unsafePatterns } from './schema-patterns.js';
import { unresolvedRefs } from './schema-refs.js';
import type { FieldError } from './types.js';

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const POINTER = '/spec/parameters';

/**
 * @cfworker/json-schema does not implement $dynamicRef, which the 2020-12
 * meta-schemas use to reach subschemas; left alone it would check only the
 * top level of a schema. Validation here always starts at the root
 * meta-schema, the outermost `$dynamicAnchor: meta` in scope, so every
 * `#meta` dynamic reference resolves to it: a plain $ref to the root is the
 * same rule.
 */
function staticRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(staticRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$dynamicRef' && v === '#meta') out.$ref = DIALECT;
    else out[k] = staticRefs(v);
  }
  return out;
}

let metaValidator: Validator | undefined;

function meta(): Validator {
  if (!metaValidator) {
    const [root, ...vocabularies] = META_SCHEMA_2020_12.map((s) => staticRefs(s) as Record<string, unknown>);
    metaValidator = new Validator(root!, '2020-12', false);
    for (const v of vocabularies) metaValidator.addSchema(v);
  }
  return metaValidator;
}

/** Whether `schema` can serve as a template's parameters: a JSON Schema 2020-12 for an object. */
export function checkParameterSchema(schema: unknown): FieldError[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [{ pointer: POINTER, message: 'must be a JSON Schema object' }];
  }
  const s = schema as Record<string, unknown>;
  if (s.$schema !== undefined && s.$schema !== DIALECT) {
    return [{ pointer: `${POINTER}/$schema`, message: `only ${DIALECT} is supported` }];
  }
  const result = meta().validate(s);
  const errors = result.valid ? [] : schemaErrors(result.errors, POINTER);
  if (s.type !== 'object') errors.push({ pointer: `${POINTER}/type`, message: 'the root of the parameter schema must be "type": "object"' });
  if (errors.length > 0) return errors;
  const refs = [...unresolvedRefs(s, POINTER), ...unsafePatterns(s, POINTER)];
  if (refs.length > 0) return refs;
  // anything else the validator itself refuses (it annotates what it is given, hence the copy)
  try {
    new Validator(structuredClone(s), '2020-12', false).validate({});
  } catch (e) {
    return [{ pointer: POINTER, message: `cannot be evaluated: ${(e as Error).message.split('\n')[0]}` }];
  }
  return [];
}
