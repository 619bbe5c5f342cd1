import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../worker/render/canonical-json.js';

function shuffledKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shuffledKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, shuffledKeys(x)]));
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('sorts integer-like keys as strings, which objects alone would not', () => {
    expect(canonicalJson({ b: 0, 10: 1, 9: 2, a: 3 })).toBe('{"10":1,"9":2,"a":3,"b":0}');
  });

  it('follows JSON for undefined, escapes and numbers', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], 'q"': 'é\n', n: 1e21, m: -0 })).toBe('{"b":[null],"m":0,"n":1e+21,"q\\"":"é\\n"}');
  });

  it('parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

describe('contentHash', () => {
  it('is the sha256 hex of the canonical JSON, whatever the key order', async () => {
    const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '1', y: '2' } }, data: { k: 'v' } }];
    const h = await contentHash(objects);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await contentHash(shuffledKeys(objects))).toBe(h);
    expect(await contentHash([{ ...objects[0], data: { k: 'w' } }])).not.toBe(h);
    // sha256("[]")
    expect(await contentHash([])).toBe('4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945');
  });

  it('is stable for any reordering of keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        expect(await contentHash(shuffledKeys(v))).toBe(await contentHash(v));
      }),
    );
  });
});
