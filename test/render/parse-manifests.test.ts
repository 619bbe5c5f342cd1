import { describe, expect, it } from 'vitest';
import { parseManifestsCached } from '../../worker/render/manifest-cache.js';
import { MAX_MANIFEST_BYTES, parseManifests } from '../../worker/render/parse-manifests.js';

const cm = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`;

describe('parseManifests', () => {
  it('reads several YAML documents and skips empty ones', () => {
    const r = parseManifests(`---\n${cm(1)}---\n# only a comment\n---\n---\n${cm(2)}`);
    expect(r).toEqual({
      ok: true,
      docs: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' } },
      ],
    });
    expect(parseManifests('')).toEqual({ ok: true, docs: [] });
  });

  it('takes an array as it is, without sharing it', () => {
    const arr = [{ kind: 'X' }];
    const r = parseManifests(arr);
    expect(r).toEqual({ ok: true, docs: [{ kind: 'X' }] });
    if (r.ok) expect(r.docs[0]).not.toBe(arr[0]);
  });

  it('gives the line of a YAML syntax error', () => {
    const r = parseManifests(`${cm(1)}---\nkind: X\nmetadata: {name: [\n`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(400);
    expect(r.errors[0]!.pointer).toBe('/spec/manifests');
    expect(r.errors[0]!.message).toMatch(/^YAML syntax error at line 8, column 1: Flow sequence .*end with a \]$/);
  });

  it('rejects duplicate keys', () => {
    const r = parseManifests('kind: A\nkind: B\n');
    expect(r.ok).toBe(false);
  });

  it('answers 413 above 512,000 bytes of YAML (501 KiB) and accepts exactly the limit', () => {
    const big = `a: "${'x'.repeat(501 * 1024)}"\n`;
    const r = parseManifests(big);
    expect(r).toMatchObject({ ok: false, status: 413, errors: [{ pointer: '/spec/manifests' }] });
    const exact = `a: "${'x'.repeat(MAX_MANIFEST_BYTES - 6)}"\n`;
    expect(new TextEncoder().encode(exact).length).toBe(MAX_MANIFEST_BYTES);
    expect(parseManifests(exact).ok).toBe(true);
  });

  it('counts bytes, not characters', () => {
    const r = parseManifests(`a: "${'é'.repeat(256_100)}"\n`);
    expect(r).toMatchObject({ ok: false, status: 413 });
  });

  it('answers 413 for an array whose JSON is above the limit', () => {
    const r = parseManifests([{ data: 'x'.repeat(501 * 1024) }]);
    expect(r).toMatchObject({ ok: false, status: 413 });
  });

  it('answers 400 for 1,001 objects and accepts 1,000', () => {
    const yaml = (n: number) => Array.from({ length: n }, (_, i) => cm(i)).join('---\n');
    expect(parseManifests(yaml(1001))).toMatchObject({ ok: false, status: 400, errors: [{ pointer: '/spec/manifests', message: expect.stringContaining('1001') }] });
    expect(parseManifests(yaml(1000))).toMatchObject({ ok: true });
    const arr = Array.from({ length: 1001 }, () => ({}));
    expect(parseManifests(arr)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a document that expands aliases without bound', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    expect(parseManifests(bomb)).toMatchObject({ ok: false, status: 400, errors: [{ message: expect.stringContaining('alias') }] });
  });

  it('keeps parsed YAML for the next render, frozen, and does not keep failures', () => {
    const text = `${cm(1)}---\n${cm(2)}`;
    const first = parseManifestsCached(text);
    const second = parseManifestsCached(text);
    expect(first.ok && second.ok && first.docs === second.docs).toBe(true);
    if (!first.ok) return;
    expect(Object.isFrozen(first.docs[0])).toBe(true);
    expect(Object.isFrozen((first.docs[0] as { metadata: object }).metadata)).toBe(true);
    expect(parseManifestsCached('a: [\n').ok).toBe(false);
    expect(parseManifestsCached('a: [\n')).not.toBe(parseManifestsCached('a: [\n'));
  });
});
