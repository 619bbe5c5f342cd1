import { describe, expect, it } from 'vitest';
import { checkParameterSchema } from '../../worker/render/parameter-schema.js';
import { patternProblem } from '../../worker/render/schema-patterns.js';
import { CATALOG } from '../../worker/catalog/index.js';

describe('schema patterns that could stall the server', () => {
  it('refuses a repetition inside a repetition, which backtracks exponentially', () => {
    for (const p of ['(a+)+$', '^(\\d+)*$', '(x+x+)+y', '([a-z]{2,})+', '(.+\\.)*']) expect(patternProblem(p), p).toMatch(/repetition inside a repetition/);
  });

  it('accepts the common shapes: optional groups, delimited repetitions, flat classes', () => {
    for (const p of [
      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', // DNS label
      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', // DNS subdomain: each repetition starts at a '.'
      '^(?:[a-z]+\\.)*[a-z]+$', '^\\p{L}+$', '(?<year>\\d{4})-(\\d{2})', '^[0-9]+(ms|s|m|h)$',
    ]) expect(patternProblem(p), p).toBeUndefined();
  });

  it('points at every refused pattern and patternProperties key, and ignores data that merely looks like one', () => {
    const errors = checkParameterSchema({
      type: 'object',
      properties: {
        a: { type: 'string', pattern: '(a+)+$' },
        b: { type: 'object', patternProperties: { '^(\\w+)*$': { type: 'string' } } },
        c: { type: 'object', default: { pattern: '(a+)+$' } },
      },
    });
    expect(errors).toEqual([
      { pointer: '/spec/parameters/properties/a/pattern', message: expect.stringMatching(/^the pattern has a repetition inside a repetition/) },
      { pointer: '/spec/parameters/properties/b/patternProperties', message: expect.stringContaining('the key "^(\\w+)*$"') },
    ]);
  });

  it('every catalog template passes', () => {
    for (const t of CATALOG) for (const v of t.versions) expect(checkParameterSchema(v.parameters), `${t.name}@${v.version}`).toEqual([]);
  });
});
