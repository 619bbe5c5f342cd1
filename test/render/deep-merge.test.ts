import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepMerge } from '../../worker/render/deep-merge.js';

// JSON objects without null members: null has its own (deleting) meaning in a merge
const value = fc.letrec((tie) => ({
  obj: fc.dictionary(fc.string({ maxLength: 4 }), tie('any'), { maxKeys: 4 }),
  any: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.array(tie('any'), { maxLength: 3 }), tie('obj')),
})).obj as fc.Arbitrary<Record<string, unknown>>;

describe('deepMerge', () => {
  it('merges objects recursively; arrays and scalars replace', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: 2 } }, { d: 'y' })).toEqual({ a: { b: 1, c: [3], e: 2 }, d: 'y' });
    expect(deepMerge({ a: { b: 1 } }, { a: 5 })).toEqual({ a: 5 });
    expect(deepMerge({ a: 5 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });

  it('deletes a key given null in a later layer, like Helm', () => {
    expect(deepMerge({ a: 1, b: { c: 1, d: 2 } }, { a: null, b: { c: null } })).toEqual({ b: { d: 2 } });
    expect(deepMerge({}, { a: null, b: { c: null } })).toEqual({ b: {} });
    expect(deepMerge({ l: [null, 1] })).toEqual({ l: [null, 1] });
  });

  it('skips undefined layers and members', () => {
    expect(deepMerge(undefined, { a: 1 }, undefined, { a: undefined })).toEqual({ a: 1 });
  });

  it('treats __proto__ as an ordinary key', () => {
    const merged = deepMerge(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(merged)).toEqual(['__proto__']);
  });

  it('never shares structure with its inputs', () => {
    const a = { x: { y: [1] } };
    const out = deepMerge(a, { z: { w: [2] } });
    (out.x as { y: number[] }).y.push(9);
    expect(a.x.y).toEqual([1]);
  });

  it('has {} as identity on both sides and is idempotent', () => {
    fc.assert(
      fc.property(value, (a) => {
        expect(deepMerge({}, a)).toEqual(a);
        expect(deepMerge(a, {})).toEqual(a);
        expect(deepMerge(a, a)).toEqual(a);
      }),
    );
  });

  it('lets every leaf of the last layer win and keeps what it does not mention', () => {
    const leaves = (o: Record<string, unknown>, at: string[] = []): [string[], unknown][] =>
      Object.entries(o).flatMap(([k, v]) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, [...at, k]) : [[[...at, k], v] as [string[], unknown]],
      );
    const get = (o: unknown, path: string[]) => path.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], o);
    fc.assert(
      fc.property(value, value, (a, b) => {
        const merged = deepMerge(a, b);
        for (const [path, v] of leaves(b)) expect(get(merged, path)).toEqual(v);
        // a leaf of `a` survives unless `b` sets its path, or sets a non-object on the way to it
        const hides = (prefix: string[], last: boolean) => {
          const above = get(b, prefix);
          return above !== undefined && (last || typeof above !== 'object' || Array.isArray(above));
        };
        for (const [path, v] of leaves(a)) {
          if (!path.some((_, i) => hides(path.slice(0, i + 1), i === path.length - 1))) expect(get(merged, path)).toEqual(v);
        }
      }),
    );
  });

  it('is not associative when an upper scalar hides an object (why layers merge in one fixed order)', () => {
    const a = { r: { cpu: '1' } };
    const b = { r: 'none' };
    const c = { r: { memory: '1Gi' } };
    expect(deepMerge(a, b, c)).toEqual({ r: { memory: '1Gi' } });
    expect(deepMerge(a, deepMerge(b, c))).toEqual({ r: { cpu: '1', memory: '1Gi' } });
  });
});
