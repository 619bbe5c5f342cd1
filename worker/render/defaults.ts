import { deepMerge } from './deep-merge.js';
import { isPlainObject, setKey } from './plain-object.js';

/**
 * The values a schema declares as defaults: every `properties.*.default`,
 * recursively through nested object properties, with an object's own
 * `default` laid over what its properties declare (the outer default speaks
 * for the whole object). Only inline `properties` are followed, not $ref or
 * combinators: a value chosen between alternatives has no single default.
 */
export function defaultsOf(schema: unknown): Record<string, unknown> {
  if (!isPlainObject(schema)) return {};
  const fromProperties: Record<string, unknown> = {};
  if (isPlainObject(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!isPlainObject(sub)) continue;
      if (isPlainObject(sub.properties)) {
        const nested = defaultsOf(sub);
        if (Object.keys(nested).length > 0 || sub.default !== undefined) setKey(fromProperties, key, nested);
      } else if (sub.default !== undefined) {
        setKey(fromProperties, key, structuredClone(sub.default));
      }
    }
  }
  return isPlainObject(schema.default) ? deepMerge(fromProperties, schema.default) : fromProperties;
}
