import * as fastJsonPatch from 'fast-json-patch';
import type { Patch } from './types.js';

/**
 * fast-json-patch is CommonJS for Node (whose ESM loader cannot see its
 * re-exported names) and ESM for bundlers (which have no default export):
 * take the functions from whichever shape was loaded.
 */
const lib: typeof fastJsonPatch = (fastJsonPatch as unknown as { default?: typeof fastJsonPatch }).default ?? fastJsonPatch;

/** Messages for the library's error names, phrased for someone writing an override. */
const REASONS: Record<string, string> = {
  OPERATION_PATH_UNRESOLVABLE: 'the path does not exist in the object',
  OPERATION_PATH_CANNOT_ADD: 'the parent of the path does not exist in the object',
  OPERATION_FROM_UNRESOLVABLE: '"from" does not exist in the object',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'the path has an invalid array index',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the array index is out of bounds',
  OPERATION_PATH_INVALID: 'the path is not a JSON pointer',
  OPERATION_VALUE_REQUIRED: 'the operation needs a value',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'the value contains undefined',
  TEST_OPERATION_FAILED: 'the "test" operation failed',
};

/**
 * Applies one RFC 6902 operation to a copy of `doc`. Neither `doc` nor the
 * patch is modified, and the result shares no objects with the patch's value.
 */
export function applyJsonPatch<T>(doc: T, patch: Patch): { ok: true; doc: T } | { ok: false; reason: string } {
  const operation = structuredClone({ op: patch.op, path: patch.path, value: patch.value, from: patch.from }) as fastJsonPatch.Operation;
  try {
    return { ok: true, doc: lib.applyOperation(doc, operation, true, false).newDocument };
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    return { ok: false, reason: REASONS[name] ?? (e as Error).message.split('\n')[0]! };
  }
}
