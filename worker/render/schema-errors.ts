import type { OutputUnit } from '@cfworker/json-schema';
import type { FieldError } from './types.js';
import { uniqueErrors } from './unique-errors.js';

/**
 * Keywords whose failure only says "something below me failed". With every
 * error collected the validator reports them next to the real causes; they
 * are kept only when nothing more precise was reported under them.
 */
const WRAPPERS = new Set([
  '$ref',
  '$recursiveRef',
  'allOf',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'dependentSchemas',
  // the validator reports a failed then/else as keyword "if", next to what failed inside
  'if',
]);

/** Branch failures of these are noise: "matches none of the alternatives" is the useful message. */
const ALTERNATIVES = new Set(['anyOf', 'oneOf', 'not', 'contains']);

const encode = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/** The validator's `#/a/b` instance location as an RFC 6901 pointer below `prefix`. */
function pointerOf(prefix: string, instanceLocation: string): string {
  // the validator percent-encodes RFC 6901 tokens to fit a URI fragment; undo only that
  const rest = instanceLocation.replace(/^#/, '');
  return prefix + rest.split('/').map((t) => decodeURIComponent(t)).join('/');
}

function message(unit: OutputUnit): { suffix: string; text: string } {
  if (unit.keyword === 'required') {
    const missing = /"(.*)"/.exec(unit.error)?.[1];
    if (missing !== undefined) return { suffix: `/${encode(missing)}`, text: 'is required' };
  }
  // a `false` schema is what additionalProperties: false and `properties: {x: false}` apply
  if (unit.keyword === 'false') return { suffix: '', text: 'is not allowed (unknown property)' };
  if (unit.keyword === 'minLength' && unit.error.includes('(0 < 1)')) return { suffix: '', text: 'must not be empty' };
  return { suffix: '', text: unit.error.replace(/^Instance /, 'value ').replace(/\.$/, '') };
}

/**
 * Turns @cfworker/json-schema output units into field errors: one per real
 * cause, deduplicated, each pointing at the failing value below `prefix`.
 */
export function schemaErrors(units: OutputUnit[], prefix: string): FieldError[] {
  const under = (u: OutputUnit, parent: OutputUnit) => u.keywordLocation.startsWith(`${parent.keywordLocation}/`);
  const branchPoints = units.filter((u) => ALTERNATIVES.has(u.keyword));
  const kept = units.filter((u) => {
    if (branchPoints.some((b) => b !== u && under(u, b))) return false;
    if (!WRAPPERS.has(u.keyword)) return true;
    const below = (o: OutputUnit) =>
      o !== u && !WRAPPERS.has(o.keyword) && (under(o, u) || o.instanceLocation === u.instanceLocation || o.instanceLocation.startsWith(`${u.instanceLocation}/`));
    return !units.some(below);
  });
  return uniqueErrors(kept.map((u) => {
    const { suffix, text } = message(u);
    return { pointer: pointerOf(prefix, u.instanceLocation) + suffix, message: text };
  }));
}
