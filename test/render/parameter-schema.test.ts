import { describe, expect, it } from 'vitest';
import { defaultsOf } from '../../worker/render/defaults.js';
import { checkParameterSchema } from '../../worker/render/parameter-schema.js';
import { validateValues } from '../../worker/render/validate-values.js';

describe('checkParameterSchema', () => {
  it('accepts a 2020-12 object schema using the usual keywords', () => {
    expect(
      checkParameterSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        $defs: { port: { type: 'integer', minimum: 1, maximum: 65535 } },
        properties: {
          port: { $ref: '#/$defs/port', default: 80 },
          name: { type: 'string', pattern: '^[a-z]+$' },
          tags: { type: 'array', items: { type: 'string' }, prefixItems: [{ const: 'first' }] },
          mode: { enum: ['a', 'b'] },
          either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        },
        additionalProperties: false,
        required: ['port'],
      }),
    ).toEqual([]);
  });

  it('checks nested subschemas, not only the top level', () => {
    const errors = checkParameterSchema({
      type: 'object',
      properties: { a: { type: 'strin' }, b: { properties: { c: { minimum: 'one' } } }, d: { items: { required: 'x' } } },
    });
    expect(errors.map((e) => e.pointer).sort()).toEqual([
      '/spec/parameters/properties/a/type',
      '/spec/parameters/properties/b/properties/c/minimum',
      '/spec/parameters/properties/d/items/required',
    ]);
    expect(errors.find((e) => e.pointer.endsWith('/minimum'))!.message).toMatch(/"number"/);
  });

  it('rejects a pattern that is not a regular expression', () => {
    expect(checkParameterSchema({ type: 'object', properties: { a: { pattern: '(' } } })).toEqual([
      { pointer: '/spec/parameters/properties/a/pattern', message: expect.stringContaining('regex') },
    ]);
  });

  it('requires an object at the root', () => {
    expect(checkParameterSchema({ type: 'string' })).toEqual([{ pointer: '/spec/parameters/type', message: expect.stringContaining('"type": "object"') }]);
    expect(checkParameterSchema({ properties: {} })[0]!.pointer).toBe('/spec/parameters/type');
    expect(checkParameterSchema([])).toEqual([{ pointer: '/spec/parameters', message: 'must be a JSON Schema object' }]);
    expect(checkParameterSchema(true)).toHaveLength(1);
  });

  it('rejects another dialect', () => {
    expect(checkParameterSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' })[0]!.pointer).toBe('/spec/parameters/$schema');
  });

  it('rejects references that lead nowhere or outside the schema', () => {
    const errors = checkParameterSchema({
      type: 'object',
      $defs: { ok: { $anchor: 'here', type: 'string' } },
      properties: { a: { $ref: '#/$defs/none' }, b: { $ref: 'https://example.com/s.json' }, c: { $ref: '#here' }, d: { $ref: '#/$defs/ok' } },
    });
    expect(errors.map((e) => e.pointer)).toEqual(['/spec/parameters/properties/a/$ref', '/spec/parameters/properties/b/$ref']);
  });

  it('does not modify the schema it checks', () => {
    const schema = { type: 'object', properties: { a: { $ref: '#/$defs/x' } }, $defs: { x: { type: 'string' } } };
    const before = JSON.stringify(schema);
    checkParameterSchema(schema);
    validateValues(schema, { a: 1 }, '/x');
    expect(JSON.stringify(schema)).toBe(before);
    expect(Object.getOwnPropertyNames(schema.properties.a)).toEqual(['$ref']);
  });
});

describe('validateValues', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      'a/b': { type: 'integer' },
      ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer', maximum: 65535 } } } },
      mode: { enum: ['fast', 'safe'] },
      size: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+Gi$' }] },
    },
  };

  it('returns every error once, each at the failing value', () => {
    const errors = validateValues(schema, { 'a/b': 'x', ports: [{ port: 1 }, { port: 70000 }], mode: 'slow', size: '3G', extra: 1 }, '/spec/values');
    expect(errors.map((e) => e.pointer).sort()).toEqual([
      '/spec/values/a~1b',
      '/spec/values/extra',
      '/spec/values/mode',
      '/spec/values/name',
      '/spec/values/ports/1/port',
      '/spec/values/size',
    ]);
    expect(new Set(errors.map((e) => `${e.pointer} ${e.message}`)).size).toBe(errors.length);
    expect(errors.find((e) => e.pointer.endsWith('/name'))!.message).toBe('is required');
    expect(errors.find((e) => e.pointer.endsWith('/mode'))!.message).toMatch(/"fast"/);
    expect(errors.every((e) => !/Instance/.test(e.message))).toBe(true);
  });

  it('accepts valid values', () => {
    expect(validateValues(schema, { name: 'x', size: '3Gi', ports: [] }, '/spec/values')).toEqual([]);
  });
});

describe('defaultsOf', () => {
  it('collects property defaults recursively, with an object default laid over them', () => {
    expect(
      defaultsOf({
        type: 'object',
        properties: {
          replicas: { type: 'integer', default: 2 },
          noDefault: { type: 'string' },
          ingress: {
            type: 'object',
            default: { className: 'nginx' },
            properties: { enabled: { default: false }, tls: { type: 'object', properties: { secret: { default: 'tls' } } }, className: { default: 'other' } },
          },
          list: { type: 'array', default: [1, 2] },
          empty: { type: 'object', properties: { a: { type: 'string' } } },
        },
      }),
    ).toEqual({ replicas: 2, ingress: { enabled: false, tls: { secret: 'tls' }, className: 'nginx' }, list: [1, 2] });
  });

  it('takes a root default and ignores what is not a schema', () => {
    expect(defaultsOf({ type: 'object', default: { a: 1 }, properties: { b: { default: 2 } } })).toEqual({ a: 1, b: 2 });
    expect(defaultsOf(true)).toEqual({});
    expect(defaultsOf({ type: 'object' })).toEqual({});
  });

  it('returns copies', () => {
    const schema = { type: 'object', properties: { l: { default: [{ a: 1 }] } } };
    (defaultsOf(schema).l as { a: number }[])[0]!.a = 2;
    expect(schema.properties.l.default[0]!.a).toBe(1);
  });
});
